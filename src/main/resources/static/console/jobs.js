// The jobs list: state, model, progress, speed and time left, filtered by state and model,
// refreshed every two seconds; jobs ticked here are compared on the Compare page.

import { api, explain } from './api.js';
import { duration, h, number, time } from './dom.js';

const STATES = ['', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export function jobsView(main, params, onLeave) {
	const state = h('select', { id: 'filter-state', name: 'state' },
		STATES.map((value) => h('option', { value, selected: params.get('state') === value }, value || 'any')));
	const model = h('input', { id: 'filter-model', name: 'model', value: params.get('model') || '',
		placeholder: 'any model' });
	const body = h('tbody');
	const status = h('p', { class: 'status', 'aria-live': 'polite' });
	const compare = h('button', { type: 'button', id: 'compare-selected', disabled: true,
		onclick: () => { location.hash = `#/compare?ids=${ticked().join(',')}`; } }, 'Compare selected');
	const ticked = () => [...body.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value);

	main.replaceChildren(
		h('h2', {}, 'Jobs'),
		h('form', { class: 'filters', onsubmit: (event) => { event.preventDefault(); refresh(); } },
			h('label', { for: 'filter-state' }, 'State'), state,
			h('label', { for: 'filter-model' }, 'Model'), model,
			h('button', { type: 'submit' }, 'Filter'), compare),
		status,
		h('div', { class: 'table' }, h('table', { id: 'jobs' },
			h('thead', {}, h('tr', {}, ['', 'State', 'Model', 'Progress', 'Tokens/s', 'Time left', 'Created', 'Replica']
				.map((title) => h('th', { scope: 'col' }, title)))),
			body)));

	const selected = new Set();
	body.addEventListener('change', (event) => {
		if (event.target.checked) {
			selected.add(event.target.value);
		}
		else {
			selected.delete(event.target.value);
		}
		compare.disabled = selected.size < 2;
	});

	async function refresh() {
		const query = new URLSearchParams({ size: '100' });
		if (state.value) {
			query.set('state', state.value);
		}
		if (model.value.trim()) {
			query.set('model', model.value.trim());
		}
		try {
			const page = (await api('GET', `/jobs?${query}`)).json;
			body.replaceChildren(...page.items.map((job) => row(job, selected)));
			status.textContent = `${page.items.length} of ${page.total} jobs`;
		}
		catch (error) {
			status.textContent = explain(error);
		}
	}
	refresh();
	const timer = setInterval(refresh, 2000);
	onLeave(() => clearInterval(timer));
}

function row(job, selected) {
	const progress = job.progress;
	return h('tr', { dataset: { job: job.id, state: job.state } },
		h('td', {}, h('input', { type: 'checkbox', value: job.id, checked: selected.has(job.id),
			'aria-label': `Select job ${job.id} for comparison` })),
		h('td', {}, h('span', { class: `state ${job.state.toLowerCase()}` }, job.state)),
		h('td', {}, h('a', { href: `#/jobs/${job.id}` }, job.model)),
		h('td', {}, progress ? `epoch ${progress.epoch}/${progress.epochs}, step ${progress.step}/${progress.steps}`
			: job.state === 'SUCCEEDED' ? `done, version ${job.result ? job.result.version : '?'}` : '–'),
		h('td', {}, progress ? number(progress.tokensPerSecond, 0) : '–'),
		h('td', {}, progress ? duration(progress.estimatedSecondsLeft) : '–'),
		h('td', {}, time(job.createdAt)),
		h('td', {}, job.replica || '–'));
}
