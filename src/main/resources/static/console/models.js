// Models, their versions and aliases (moved from the page), and a try-it box that calls
// POST /generate and shows each output with its stop reason and mean log-probability.

import { api, explain } from './api.js';
import { h, number, percent, time } from './dom.js';

export async function modelsView(page) {
	const { main } = page;
	main.replaceChildren(h('h2', {}, 'Models'), h('p', { class: 'status' }, 'Loading…'));
	try {
		const models = (await api('GET', '/models')).json;
		if (!page.current()) {
			return;
		}
		const list = models.models || models;
		main.replaceChildren(h('h2', {}, 'Models'),
			list.length === 0 ? h('p', {}, 'No model yet: ', h('a', { href: '#/train' }, 'train one'), '.')
				: h('ul', { id: 'models' }, list.map((model) => h('li', {},
					h('a', { href: `#/models/${encodeURIComponent(model.name)}` }, model.name),
					` – ${model.versions ? model.versions.length : model.versionCount || '?'} version(s)`))));
	}
	catch (error) {
		if (page.current()) {
			main.replaceChildren(h('h2', {}, 'Models'), h('p', { class: 'error', role: 'alert' }, explain(error)));
		}
	}
}

export async function modelView(page, name) {
	const { main } = page;
	const path = `/models/${encodeURIComponent(name)}`;
	const message = h('p', { class: 'error', role: 'alert', hidden: true });
	let model;
	try {
		model = (await api('GET', path)).json;
	}
	catch (error) {
		if (page.current()) {
			main.replaceChildren(h('h2', {}, name), h('p', { class: 'error', role: 'alert' }, explain(error)));
		}
		return;
	}
	if (!page.current()) {
		return;
	}
	const versions = model.versions || [];
	const aliases = model.aliases || {};
	const versionDetails = h('div', { id: 'version-details' });
	const versionRows = versions.map((version) => h('tr', { dataset: { version: version.version } },
		h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => showVersion(version.version) },
			`version ${version.version}`)),
		h('td', {}, version.status), h('td', {}, time(version.createdAt)),
		h('td', {}, Object.entries(aliases).filter(([, target]) => target === version.version)
			.map(([alias]) => alias).join(', ') || '–')));

	const aliasName = h('input', { id: 'alias-name', name: 'alias', placeholder: 'production', required: true });
	const aliasVersion = h('select', { id: 'alias-version', name: 'version' },
		versions.map((version) => h('option', { value: version.version }, `version ${version.version}`)));
	const aliasForm = h('form', { class: 'inline', onsubmit: moveAlias },
		h('label', { for: 'alias-name' }, 'Alias'), aliasName,
		h('label', { for: 'alias-version' }, 'to'), aliasVersion,
		h('button', { type: 'submit' }, 'Move alias'));

	const inputs = h('textarea', { id: 'try-inputs', rows: 4, placeholder: 'one input per line' });
	const pick = h('select', { id: 'try-version', name: 'version' }, h('option', { value: '' }, 'latest'),
		Object.keys(aliases).map((alias) => h('option', { value: `alias:${alias}` }, `alias ${alias}`)),
		versions.map((version) => h('option', { value: version.version }, `version ${version.version}`)));
	const outputs = h('tbody', { id: 'try-outputs' });
	const tryForm = h('form', { id: 'try-form', onsubmit: generate },
		h('label', { for: 'try-inputs' }, 'Inputs'), inputs,
		h('label', { for: 'try-version' }, 'Version'), pick,
		h('button', { type: 'submit', id: 'try-submit' }, 'Generate'));

	main.replaceChildren(h('h2', {}, `Model ${model.name}`), message,
		h('div', { class: 'table' }, h('table', { id: 'versions' },
			h('thead', {}, h('tr', {}, ['Version', 'Status', 'Created', 'Aliases'].map((title) => h('th', { scope: 'col' }, title)))),
			h('tbody', {}, versionRows))),
		versionDetails,
		h('h3', {}, 'Aliases'), aliasForm,
		h('h3', {}, 'Try it'), tryForm,
		h('div', { class: 'table' }, h('table', {},
			h('thead', {}, h('tr', {}, ['Input', 'Output', 'Stop reason', 'Mean log-probability']
				.map((title) => h('th', { scope: 'col' }, title)))),
			outputs)));

	async function showVersion(version) {
		try {
			const details = (await api('GET', `${path}/versions/${version}`)).json;
			if (!page.current()) {
				return;
			}
			const metadata = (details.manifest && details.manifest.metadata) || {};
			const training = metadata.training || {};
			const history = training.history || [];
			const last = history[history.length - 1];
			const kept = history.find((epoch) => epoch.epoch === training.bestEpoch);
			versionDetails.replaceChildren(h('h3', {}, `Version ${version}`), h('dl', { class: 'summary' },
				h('dt', {}, 'Status'), h('dd', {}, details.status),
				h('dt', {}, 'Created'), h('dd', {}, time(details.createdAt)),
				h('dt', {}, 'Corpus'), h('dd', {}, metadata.corpus
					? `${number(metadata.corpus.pairs, 0)} pairs, sha256 ${metadata.corpus.sha256}` : '–'),
				h('dt', {}, 'Job'), h('dd', {}, metadata.job ? h('a', { href: `#/jobs/${encodeURIComponent(metadata.job)}` }, metadata.job) : '–'),
				h('dt', {}, 'Weights from epoch'), h('dd', {}, training.bestEpoch
					? `${training.bestEpoch}${kept ? `: exact match ${percent(kept.exactMatch)}` : ''}` : 'the last'),
				h('dt', {}, 'Last epoch'), h('dd', {}, last ? `${last.epoch}: exact match ${percent(last.exactMatch)}, `
					+ `validation loss ${number(last.validationLoss)}` : '–')),
			h('details', {}, h('summary', {}, 'Manifest'), h('pre', {}, JSON.stringify(details, null, 2))));
		}
		catch (error) {
			message.hidden = false;
			message.textContent = explain(error);
		}
	}

	async function moveAlias(event) {
		event.preventDefault();
		message.hidden = true;
		try {
			await api('PUT', `${path}/aliases/${encodeURIComponent(aliasName.value.trim())}`,
				{ version: Number(aliasVersion.value) });
			if (page.current()) {
				await modelView(page, name);
			}
		}
		catch (error) {
			message.hidden = false;
			message.textContent = explain(error);
		}
	}

	async function generate(event) {
		event.preventDefault();
		message.hidden = true;
		const lines = inputs.value.split('\n').filter((line) => line.length > 0);
		const request = { model: model.name, inputs: lines };
		if (pick.value.startsWith('alias:')) {
			request.alias = pick.value.slice(6);
		}
		else if (pick.value) {
			request.version = Number(pick.value);
		}
		try {
			const answer = (await api('POST', '/generate', request)).json;
			if (!page.current()) {
				return;
			}
			outputs.replaceChildren(...answer.outputs.map((output, index) => h('tr', {},
				h('td', {}, lines[index]), h('td', { class: 'output' }, output.text),
				h('td', {}, output.stopReason), h('td', {}, number(output.meanLogProbability, 4)))));
		}
		catch (error) {
			message.hidden = false;
			message.textContent = explain(error);
		}
	}
}
