// Two or more runs side by side: their curves overlaid (a line style per run, a colour per
// series) and a table of their settings with the ones that differ marked.

import { api, explain } from './api.js';
import { CHARTS, chartSection, drawChart } from './charts.js';
import { h } from './dom.js';

function flatten(job) {
	const rows = { model: job.model, state: job.state, corpus: job.corpus ? `${job.corpus.file || 'inline'} `
		+ `(${job.corpus.pairs} pairs, sha256 ${String(job.corpus.sha256).slice(0, 12)})` : '' };
	Object.entries(job.spec || {}).forEach(([key, value]) => { rows[key] = value; });
	Object.entries(job.settings || {}).forEach(([key, value]) => { rows[key] = value; });
	return rows;
}

export async function compareView(page) {
	const { main, params } = page;
	const ids = (params.get('ids') || '').split(',').filter(Boolean).map(decodeURIComponent);
	if (ids.length < 2) {
		main.replaceChildren(h('h2', {}, 'Compare runs'),
			h('p', {}, 'Tick two or more jobs in the ', h('a', { href: '#/jobs' }, 'jobs list'),
				' and choose “Compare selected”.'));
		return;
	}
	main.replaceChildren(h('h2', {}, 'Compare runs'), h('p', { class: 'status' }, 'Loading…'));
	let jobs;
	try {
		jobs = await Promise.all(ids.map(async (id) => (await api('GET', `/jobs/${encodeURIComponent(id)}`)).json));
	}
	catch (error) {
		if (page.current()) {
			main.replaceChildren(h('h2', {}, 'Compare runs'), h('p', { class: 'error', role: 'alert' }, explain(error)));
		}
		return;
	}
	if (!page.current()) {
		return;
	}
	const runs = jobs.map((job, index) => ({ label: `run ${index + 1} (${job.model})`, job, history: job.history || [] }));
	const flat = jobs.map(flatten);
	const keys = [...new Set(flat.flatMap((rows) => Object.keys(rows)))];
	const table = h('table', { id: 'compare-settings' },
		h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'setting'),
			runs.map((run) => h('th', { scope: 'col' }, h('a', { href: `#/jobs/${encodeURIComponent(run.job.id)}` }, run.label))))),
		h('tbody', {}, keys.map((key) => {
			const values = flat.map((rows) => JSON.stringify(rows[key] ?? null));
			const differs = new Set(values).size > 1;
			return h('tr', { class: differs ? 'differs' : null, dataset: { setting: key, differs: String(differs) } },
				h('th', { scope: 'row' }, key, differs ? h('span', { class: 'tag' }, ' differs') : null),
				flat.map((rows) => h('td', {}, rows[key] == null ? '–' : String(rows[key]))));
		})));
	const { section, plots } = chartSection(page, 'compare', 'Curves of the runs');
	main.replaceChildren(h('h2', {}, 'Compare runs'), h('div', { class: 'table' }, table), section);
	CHARTS.forEach((chart, index) => drawChart(plots[index], chart, runs));
}
