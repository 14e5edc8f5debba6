// One job: its state and settings, and its curves fed live by the job's event stream.
// EventSource reconnects by itself after a dropped connection; when the service refuses a
// reconnect (503 while it restarts, 429 when too many watch), the browser gives up, so the
// page says so, looks the job up and opens a new stream after a pause. Each stream starts
// with the job and replays its epochs, so nothing is lost. Cancel from the page.

import { api, explain } from './api.js';
import { CHARTS, chartSection, drawChart } from './charts.js';
import { duration, h, number, percent, time } from './dom.js';

export function jobView(page, id) {
	const { main } = page;
	const path = `/jobs/${encodeURIComponent(id)}`;
	let job = null;
	let history = [];
	let ended = false;
	let announcedState = null;
	const heading = h('h2', {}, `Job ${id}`);
	const summary = h('dl', { class: 'summary', id: 'job-summary' });
	const progress = h('p', { class: 'status', id: 'job-progress' });
	const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
	const message = h('p', { class: 'error', id: 'job-message', role: 'alert', hidden: true });
	const cancel = h('button', { type: 'button', id: 'cancel-job', hidden: true, onclick: cancelJob }, 'Cancel job');
	const { section, plots } = chartSection(page, 'chart', 'Training curves');
	main.replaceChildren(heading, summary, h('div', { class: 'actions' }, cancel), progress, announce, message,
		section);

	function show() {
		if (!job) {
			return;
		}
		heading.textContent = `Job ${job.id}: ${job.model}`;
		const facts = [
			['State', job.state + (job.cancelRequested && !ended ? ' (cancellation asked for)' : '')],
			['Model', job.model], ['Replica', job.replica || '–'],
			['Attempts', job.attempts], ['Created', time(job.createdAt)], ['Finished', time(job.finishedAt)],
			['Corpus', job.corpus ? `${job.corpus.file || 'inline'}: ${number(job.corpus.pairs, 0)} pairs` : '–'],
			['Architecture', job.spec ? `${job.spec.cell}, ${job.spec.layers} layer(s), hidden ${job.spec.hiddenSize}, `
				+ `embedding ${job.spec.embeddingSize}, weights ${job.spec.weightSharing}` : '–'],
			['Result', job.result ? `version ${job.result.version}` : job.error || '–'],
		];
		summary.replaceChildren(...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, String(value))]));
		summary.dataset.state = job.state;
		// Set once the stream's "end" (the whole finished job) is drawn, not at the state change
		// that comes just before it.
		summary.dataset.ended = String(ended);
		cancel.hidden = !(job.state === 'QUEUED' || job.state === 'RUNNING');
		cancel.disabled = Boolean(job.cancelRequested);
		if (announcedState !== job.state) {
			// Screen readers hear the state changes, not every progress tick.
			announcedState = job.state;
			announce.textContent = `Job ${job.state.toLowerCase()}`;
		}
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

	let events = null;
	let retry = null;
	let pause = 1000;
	function connect() {
		events = new EventSource(`${path}/events`);
		// "job" comes first and at each change of state, without the history; the epochs
		// follow from the first (again after a reconnect).
		events.addEventListener('job', (event) => {
			const before = job;
			job = JSON.parse(event.data);
			job.progress = job.progress || (before && before.progress);
			job.cancelRequested = job.cancelRequested || Boolean(before && before.cancelRequested);
			message.hidden = true;
			pause = 1000;
			render();
		});
		events.addEventListener('epoch', (event) => {
			const epoch = JSON.parse(event.data);
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
			ended = true;
			job = JSON.parse(event.data);
			history = job.history || history;
			events.close();
			render();
		});
		events.onerror = () => {
			if (events.readyState !== EventSource.CLOSED || ended || !page.current()) {
				return;
			}
			message.hidden = false;
			message.textContent = 'Live updates stopped; trying again…';
			retry = setTimeout(lookAgain, pause);
			pause = Math.min(pause * 2, 15000);
		};
	}

	async function lookAgain() {
		try {
			await api('GET', path);
			if (page.current()) {
				connect();
			}
		}
		catch (error) {
			if (!page.current()) {
				return;
			}
			if (error.status === 404) {
				message.textContent = 'This job does not exist.';
				return;
			}
			message.textContent = `Live updates stopped (${explain(error)}); trying again…`;
			retry = setTimeout(lookAgain, pause);
			pause = Math.min(pause * 2, 15000);
		}
	}

	connect();
	page.onLeave(() => {
		clearTimeout(pending);
		clearTimeout(retry);
		events.close();
	});

	async function cancelJob() {
		message.hidden = true;
		cancel.disabled = true;
		try {
			await api('POST', `${path}/cancel`);
			if (job) {
				job.cancelRequested = true;
				render();
			}
		}
		catch (error) {
			cancel.disabled = false;
			message.hidden = false;
			message.textContent = explain(error);
		}
	}
}
