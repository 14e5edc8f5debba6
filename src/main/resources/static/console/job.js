// One job: its state and settings, and its curves fed live by the job's event stream
// (EventSource: the browser reconnects by itself after a network error; each connection
// starts with the whole job, so a reconnect loses nothing). Cancel from the page.

import { api, explain } from './api.js';
import { CHARTS, drawChart, followWidth } from './charts.js';
import { duration, h, number, percent, time } from './dom.js';

export function jobView(main, id, onLeave) {
	let job = null;
	let history = [];
	const heading = h('h2', {}, `Job ${id}`);
	const summary = h('dl', { class: 'summary', id: 'job-summary' });
	const progress = h('p', { class: 'status', id: 'job-progress', 'aria-live': 'polite' });
	const message = h('p', { class: 'error', role: 'alert', hidden: true });
	const cancel = h('button', { type: 'button', id: 'cancel-job', hidden: true, onclick: cancelJob }, 'Cancel job');
	const chartBoxes = CHARTS.map((chart) => h('figure', { class: 'chart' },
		h('div', { id: `chart-${chart.id}`, class: 'plot' }),
		chart.note ? h('figcaption', {}, chart.note) : null));
	main.replaceChildren(heading, summary, h('div', { class: 'actions' }, cancel), progress, message,
		h('section', { class: 'charts', 'aria-label': 'Training curves' }, chartBoxes));
	const plots = chartBoxes.map((box) => box.querySelector('.plot'));
	const resize = followWidth(plots);

	// Epochs may arrive hundreds a second (small corpora): draw at most every quarter second.
	let drawn = 0;
	let pending = null;
	function render() {
		if (pending) {
			return;
		}
		pending = setTimeout(() => {
			pending = null;
			drawn = Date.now();
			show();
			CHARTS.forEach((chart, index) => drawChart(plots[index], chart, [{ label: id, job, history }]));
		}, Math.max(0, 250 - (Date.now() - drawn)));
	}

	function show() {
		if (!job) {
			return;
		}
		heading.textContent = `Job ${job.id}: ${job.model}`;
		const facts = [
			['State', job.state], ['Model', job.model], ['Replica', job.replica || '–'],
			['Attempts', job.attempts], ['Created', time(job.createdAt)], ['Finished', time(job.finishedAt)],
			['Corpus', job.corpus ? `${job.corpus.file || 'inline'}: ${number(job.corpus.pairs, 0)} pairs` : '–'],
			['Architecture', job.spec ? `${job.spec.cell}, ${job.spec.layers} layer(s), hidden ${job.spec.hiddenSize}, `
				+ `embedding ${job.spec.embeddingSize}, weights ${job.spec.weightSharing}` : '–'],
			['Result', job.result ? `version ${job.result.version}` : job.error || '–'],
		];
		summary.replaceChildren(...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, String(value))]));
		summary.dataset.state = job.state;
		cancel.hidden = !(job.state === 'QUEUED' || job.state === 'RUNNING');
		const last = history[history.length - 1];
		if (job.state === 'RUNNING' && job.progress) {
			const p = job.progress;
			progress.textContent = `Epoch ${p.epoch} of ${p.epochs}, step ${p.step} of ${p.steps}; loss ${number(p.loss)}, `
				+ `${number(p.tokensPerSecond, 0)} tokens/s, about ${duration(p.estimatedSecondsLeft)} left`;
		}
		else if (last) {
			progress.textContent = `${job.state}: ${history.length} epochs; last validation exact match `
				+ `${percent(last.exactMatch)}`;
		}
		else {
			progress.textContent = job.state;
		}
	}

	const events = new EventSource(`/jobs/${encodeURIComponent(id)}/events`);
	// "job" comes first and at each change of state, without the history; the epochs follow
	// from the first (again after a reconnect).
	events.addEventListener('job', (event) => {
		const progressBefore = job && job.progress;
		job = JSON.parse(event.data);
		job.progress = job.progress || progressBefore;
		render();
	});
	events.addEventListener('epoch', (event) => {
		const epoch = JSON.parse(event.data);
		// A reconnected stream starts again from epoch 1.
		while (history.length && history[history.length - 1].epoch >= epoch.epoch) {
			history.pop();
		}
		history.push(epoch);
		render();
	});
	events.addEventListener('progress', (event) => {
		if (job) {
			job.progress = JSON.parse(event.data);
			render();
		}
	});
	events.addEventListener('end', (event) => {
		job = JSON.parse(event.data);
		history = job.history || history;
		events.close();
		render();
	});
	events.onerror = () => {
		if (events.readyState === EventSource.CLOSED && !job) {
			message.hidden = false;
			message.textContent = 'This job does not exist, or its events cannot be read.';
		}
	};
	onLeave(() => {
		clearTimeout(pending);
		events.close();
		resize.disconnect();
	});

	async function cancelJob() {
		message.hidden = true;
		try {
			await api('POST', `/jobs/${encodeURIComponent(id)}/cancel`);
			progress.textContent = 'Cancellation asked for.';
		}
		catch (error) {
			message.hidden = false;
			message.textContent = explain(error);
		}
	}
}
