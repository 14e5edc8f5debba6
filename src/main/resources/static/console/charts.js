// The training curves, drawn with uPlot. Each series differs by line style and by label as
// well as by colour, so they read without colour too. Each chart's element keeps its uPlot
// instance as .uplot (the browser tests read the plotted data from it).

import { h } from './dom.js';

const COLOURS = ['#1f6fb4', '#d1495b', '#2a9d5c', '#8a5cc2', '#d98a1c', '#3c8d93', '#7a7a7a', '#b5487a'];
const DASHES = [[], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4], [1, 6]];

function percent(value) {
	return value == null ? null : 100 * value;
}

/**
 * What each chart plots from an epoch report: fixed series, or series named by a map in the
 * report (one per recurrent matrix), and a reference line.
 */
export const CHARTS = [
	{ id: 'loss', title: 'Loss (cross-entropy per target symbol)', series: [
		['train', (e) => e.trainLoss], ['validation', (e) => e.validationLoss]] },
	{ id: 'accuracy', title: 'Held-out accuracy (%)', series: [
		['exact match', (e) => percent(e.exactMatch)], ['token accuracy', (e) => percent(e.tokenAccuracy)]] },
	{ id: 'gradients', title: 'Gradient norm before clipping', series: [
		['mean', (e) => e.gradients && e.gradients.meanNorm], ['max', (e) => e.gradients && e.gradients.maxNorm]],
		reference: (job) => (job.settings && job.settings.clipNorm > 0) ? ['clip threshold', job.settings.clipNorm] : null },
	{ id: 'clipped', title: 'Steps clipped (%)', series: [
		['clipped', (e) => e.gradients && percent(e.gradients.clippedFraction)]] },
	{ id: 'spectral', title: 'Largest singular value of each W_h', seriesFrom: (e) => Object.keys(e.spectralNorms || {}),
		value: (name) => (e) => e.spectralNorms ? e.spectralNorms[name] : null, reference: () => ['σ = 1', 1],
		note: 'Above the line σ = 1, gradients flowing back through time tend to grow at each step '
			+ '(they explode: clipping catches them); below it they shrink at each step (they vanish: early '
			+ 'inputs stop teaching the network).' },
	{ id: 'rate', title: 'Learning rate', series: [['learning rate', (e) => e.learningRate]] },
];

/** The series a chart has for one job's history: [label, value function]. */
export function seriesOf(chart, history) {
	if (!chart.seriesFrom) {
		return chart.series;
	}
	const names = new Set();
	history.forEach((epoch) => chart.seriesFrom(epoch).forEach((name) => names.add(name)));
	return [...names].sort().map((name) => [name, chart.value(name)]);
}

/**
 * Draws one chart. runs: [{ label, job, history }]. One run: a colour and a line style per
 * series. Several runs (compared): a colour per series and a line style per run, so the
 * runs overlay and each line is told apart by its style and legend label, not its colour
 * alone.
 */
export function drawChart(container, chart, runs) {
	const epochs = new Set();
	runs.forEach((run) => run.history.forEach((epoch) => epochs.add(epoch.epoch)));
	const xs = [...epochs].sort((a, b) => a - b);
	// Markers while few epochs: they show single points; many would only blur the line.
	const markers = xs.length <= 60;
	const series = [{ label: 'epoch' }];
	const data = [xs];
	runs.forEach((run, runIndex) => {
		const byEpoch = new Map(run.history.map((epoch) => [epoch.epoch, epoch]));
		seriesOf(chart, run.history).forEach(([label, value], seriesIndex) => {
			const colour = COLOURS[seriesIndex % COLOURS.length];
			const dash = DASHES[(runs.length > 1 ? runIndex : seriesIndex) % DASHES.length];
			series.push({ label: runs.length > 1 ? `${run.label}: ${label}` : label, stroke: colour, dash, width: 2,
				points: { show: markers, size: 5 } });
			data.push(xs.map((x) => {
				const epoch = byEpoch.get(x);
				const y = epoch ? value(epoch) : null;
				return y == null ? null : y;
			}));
		});
	});
	// Reference lines (the clip threshold, σ = 1): one per distinct value among the runs.
	const references = new Map();
	if (chart.reference && xs.length) {
		runs.forEach((run) => {
			const reference = chart.reference(run.job);
			if (reference && !references.has(reference[1])) {
				references.set(reference[1], references.size ? `${reference[0]} (${run.label})` : reference[0]);
			}
		});
	}
	references.forEach((label, value) => {
		series.push({ label, stroke: '#555', dash: [3, 6], width: 1, points: { show: false } });
		data.push(xs.map(() => value));
	});
	// Same lines as before: new data only (cheap while epochs arrive); else a new chart.
	const shape = series.map((one) => one.label).join('\n') + markers;
	if (container.uplot && container.shape === shape) {
		container.uplot.setData(data);
		return container.uplot;
	}
	if (container.uplot) {
		container.uplot.destroy();
	}
	container.replaceChildren();
	container.shape = shape;
	const width = Math.max(280, container.clientWidth || 600);
	const options = {
		title: chart.title, width, height: 240, series, legend: { live: true },
		scales: { x: { time: false } },
		// Epochs are whole numbers: no tick at 1.5.
		axes: [{ label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000] }, {}],
	};
	container.uplot = new uPlot(options, data, container);
	return container.uplot;
}

/** Frees the charts (uPlot keeps each in a module-wide set with a window listener). */
function destroyCharts(containers) {
	containers.forEach((container) => {
		if (container.uplot) {
			container.uplot.destroy();
			container.uplot = null;
		}
	});
}

/** Redraws charts at their container's width when the window changes size. */
function followWidth(containers) {
	const observer = new ResizeObserver(() => containers.forEach((container) => {
		if (container.uplot && container.clientWidth) {
			container.uplot.setSize({ width: container.clientWidth, height: 240 });
		}
	}));
	containers.forEach((container) => observer.observe(container));
	return observer;
}

/**
 * A section with one figure per chart (element ids prefix-{chart}), and the elements the
 * charts are drawn in; they follow the window's width and are freed when the page is left.
 */
export function chartSection(page, prefix, label) {
	const figures = CHARTS.map((chart) => h('figure', { class: 'chart' },
		h('div', { id: `${prefix}-${chart.id}`, class: 'plot' }),
		chart.note ? h('figcaption', {}, chart.note) : null));
	const plots = figures.map((figure) => figure.querySelector('.plot'));
	const resize = followWidth(plots);
	page.onLeave(() => {
		resize.disconnect();
		destroyCharts(plots);
	});
	return { section: h('section', { class: 'charts', 'aria-label': label }, figures), plots };
}
