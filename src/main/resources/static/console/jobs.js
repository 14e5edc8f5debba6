// The jobs list: state, model, progress, speed and time left, filtered by state and model,
// refreshed every two seconds; jobs ticked here are compared on the Compare page. Rows are
// updated in place, keyed by job, so a refresh neither moves the keyboard focus nor drops
// a tick.

import { api, explain } from './api.js';
import { duration, h, number, time } from './dom.js';

const STATES = ['', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

function cells(job) {
	const progress = job.progress;
	return [
		h('span', { class: `state ${job.state.toLowerCase()}` }, job.state),
		h('a', { href: `#/jobs/${encodeURIComponent(job.id)}` }, job.model),
		progress ? `epoch ${progress.epoch}/${progress.epochs}, step ${progress.step}/${progress.steps}`
			: job.state === 'SUCCEEDED' ? `done, version ${job.result ? job.result.version : '?'}` : '–',
		progress ? number(progress.tokensPerSecond, 0) : '–',
		progress ? duration(progress.estimatedSecondsLeft) : '–',
		time(job.createdAt),
		job.replica || '–',
	];
}

export function jobsView(page) {
	const { main, params } = page;
	const selected = new Set();
	const state = h('select', { id: 'filter-state', name: 'state' },
		STATES.map((value) => h('option', { value, selected: params.get('state') === value }, value || 'any')));
	const model = h('input', { id: 'filter-model', name: 'model', value: params.get('model') || '',
		placeholder: 'any model' });
	const body = h('tbody');
	const status = h('p', { class: 'status' });
	const compare = h('button', { type: 'button', id: 'compare-selected', disabled: true,
		onclick: () => { location.hash = `#/compare?ids=${[...selected].map(encodeURIComponent).join(',')}`; } },
	'Compare selected');

	main.replaceChildren(
		h('h2', {}, 'Jobs'),
		h('form', { class: 'filters', onsubmit: (event) => { event.preventDefault(); refresh(); } },
			h('label', { for: 'filter-state' }, 'State'), state,
			h('label', { for: 'filter-model' }, 'Model'), model,
			h('button', { type: 'submit' }, 'Filter'), compare),
		status,
		h('div', { class: 'table' }, h('table', { id: 'jobs' },
			h('caption', { class: 'visually-hidden' }, 'Training jobs, newest first'),
			h('thead', {}, h('tr', {}, ['', 'State', 'Model', 'Progress', 'Tokens/s', 'Time left', 'Created', 'Replica']
				.map((title) => h('th', { scope: 'col' }, title)))),
			body)));

	body.addEventListener('change', (event) => {
		if (event.target.checked) {
			selected.add(event.target.value);
		}
		else {
			selected.delete(event.target.value);
		}
		compare.disabled = selected.size < 2;
		compare.textContent = `Compare selected (${selected.size})`;
	});

	const rows = new Map();
	function show(jobs) {
		const order = jobs.map((job) => job.id);
		jobs.forEach((job) => {
			let row = rows.get(job.id);
			if (!row) {
				row = h('tr', {}, h('td', {}, h('input', { type: 'checkbox', value: job.id, checked: selected.has(job.id),
					'aria-label': `Select job ${job.id} (${job.model}) for comparison` })));
				rows.set(job.id, row);
			}
			row.dataset.job = job.id;
			row.dataset.state = job.state;
			const content = cells(job);
			content.forEach((value, index) => {
				let cell = row.children[index + 1];
				if (!cell) {
					cell = row.appendChild(h('td'));
				}
				const text = value instanceof Node ? value.textContent + (value.getAttribute('href') || '') : value;
				if (cell.dataset.shown !== text) {
					cell.dataset.shown = text;
					cell.replaceChildren(value);
				}
			});
		});
		rows.forEach((row, id) => {
			if (!order.includes(id)) {
				row.remove();
				rows.delete(id);
			}
		});
		// Only when the order changed: moving a row that holds the focus would lose it.
		const shownOrder = [...body.children].map((row) => row.dataset.job);
		if (shownOrder.join() !== order.join()) {
			body.replaceChildren(...order.map((id) => rows.get(id)));
		}
	}

	let timer = null;
	let asked = 0;
	async function refresh() {
		clearTimeout(timer);
		const ask = ++asked;
		const query = new URLSearchParams({ size: '100' });
		if (state.value) {
			query.set('state', state.value);
		}
		if (model.value.trim()) {
			query.set('model', model.value.trim());
		}
		try {
			const answer = (await api('GET', `/jobs?${query}`)).json;
			// A later refresh (a new filter) may have been asked for meanwhile.
			if (!page.current() || ask !== asked) {
				return;
			}
			show(answer.items);
			status.textContent = `${answer.items.length} of ${answer.total} jobs`;
		}
		catch (error) {
			if (page.current() && ask === asked) {
				status.textContent = explain(error);
			}
		}
		if (page.current() && ask === asked) {
			// The next refresh once this one is done: a slow service gets no pile of requests.
			timer = setTimeout(refresh, 2000);
		}
	}
	refresh();
	page.onLeave(() => clearTimeout(timer));
}
