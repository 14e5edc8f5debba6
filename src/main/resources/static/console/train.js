// Start a job: a corpus file (uploaded as multipart) or pasted text, and a form whose fields,
// defaults, limits and help come from the contract's TrainRequest (openapi.yaml, the one
// source of truth). The server validates; its problem details are shown under the fields
// they name.

import { ApiError, api, explain } from './api.js';
import { h } from './dom.js';

const CORPUS_FIELDS = new Set(['name', 'pairs', 'text']);

let contract = null;

async function trainRequestSchema() {
	if (!contract) {
		const response = await fetch('/openapi.yaml');
		contract = jsyaml.load(await response.text());
	}
	return contract.components.schemas.TrainRequest;
}

/** A property's own schema, its $ref or allOf wrapper resolved, with its default and help. */
function resolve(property) {
	let schema = property;
	const reference = property.$ref || (property.allOf && property.allOf[0].$ref);
	if (reference) {
		const target = contract.components.schemas[reference.split('/').pop()];
		schema = { ...target, ...property };
	}
	return schema;
}

function input(name, schema) {
	const common = { id: `field-${name}`, name, 'aria-describedby': `help-${name} error-${name}` };
	if (schema.enum) {
		return h('select', common, h('option', { value: '' }, `default (${schema.default ?? 'none'})`),
			schema.enum.map((value) => h('option', { value }, value)));
	}
	if (schema.type === 'boolean') {
		return h('select', common, h('option', { value: '' }, `default (${schema.default ?? false})`),
			h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
	}
	if (schema.type === 'integer' || schema.type === 'number') {
		return h('input', { ...common, type: 'number', inputmode: schema.type === 'integer' ? 'numeric' : 'decimal',
			step: schema.type === 'integer' ? '1' : 'any', min: schema.minimum, max: schema.maximum,
			placeholder: schema.default != null ? `default ${schema.default}` : '' });
	}
	return h('input', { ...common, type: 'text', placeholder: schema.default != null ? `default ${schema.default}` : '' });
}

function help(schema) {
	const limits = [];
	if (schema.minimum != null || schema.maximum != null) {
		limits.push(`from ${schema.minimum ?? '…'} to ${schema.maximum ?? '…'}`);
	}
	return [schema.description, limits.join('')].filter(Boolean).join(' ');
}

function field(name, control, helpText) {
	return h('div', { class: 'field', dataset: { field: name } },
		h('label', { for: `field-${name}` }, name),
		control,
		h('small', { id: `help-${name}` }, helpText || ''),
		h('p', { class: 'field-error', id: `error-${name}`, role: 'alert' }));
}

export async function trainView(main) {
	const schema = await trainRequestSchema();
	const settings = Object.entries(schema.properties).filter(([name]) => !CORPUS_FIELDS.has(name))
		.map(([name, property]) => [name, resolve(property)]);
	const general = h('p', { class: 'error', id: 'train-error', role: 'alert', hidden: true });
	const form = h('form', { id: 'train-form', novalidate: true, onsubmit: submit },
		h('h2', {}, 'Train a model'),
		h('p', {}, schema.description || ''),
		field('name', h('input', { id: 'field-name', name: 'name', required: true, autocomplete: 'off',
			'aria-describedby': 'help-name error-name' }), resolve(schema.properties.name).description),
		h('fieldset', {}, h('legend', {}, 'Corpus: a file, or pairs pasted in the chosen format'),
			field('corpus', h('input', { id: 'field-corpus', name: 'corpus', type: 'file',
				'aria-describedby': 'help-corpus error-corpus' }), 'A corpus file; its format is the format field below.'),
			field('text', h('textarea', { id: 'field-text', name: 'text', rows: 5,
				placeholder: '16+75\t91\n52+607\t659', 'aria-describedby': 'help-text error-text' }),
				resolve(schema.properties.text).description)),
		h('details', { open: true }, h('summary', {}, 'Settings (empty fields keep their defaults)'),
			h('div', { class: 'grid' }, settings.map(([name, property]) => field(name, input(name, property),
				help(property))))),
		general,
		h('button', { type: 'submit', id: 'train-submit' }, 'Start training'));
	main.replaceChildren(form);

	function values() {
		const chosen = {};
		settings.forEach(([name, property]) => {
			const raw = form.elements[name].value.trim();
			if (raw === '') {
				return;
			}
			if (property.type === 'boolean') {
				chosen[name] = raw === 'true';
			}
			else if ((property.type === 'integer' || property.type === 'number') && !Number.isNaN(Number(raw))) {
				chosen[name] = Number(raw);
			}
			else {
				// Sent as typed: the server names what is wrong with it.
				chosen[name] = raw;
			}
		});
		return chosen;
	}

	async function submit(event) {
		event.preventDefault();
		form.querySelectorAll('.field-error').forEach((error) => { error.textContent = ''; });
		form.querySelectorAll('[aria-invalid]').forEach((control) => control.removeAttribute('aria-invalid'));
		general.hidden = true;
		const name = form.elements.name.value.trim();
		const file = form.elements.corpus.files[0];
		try {
			let accepted;
			if (file) {
				const body = new FormData();
				body.append('corpus', file);
				body.append('name', name);
				Object.entries(values()).forEach(([key, value]) => body.append(key, String(value)));
				accepted = await api('POST', '/train/upload', body);
			}
			else {
				accepted = await api('POST', '/train', { name, text: form.elements.text.value, ...values() });
			}
			location.hash = `#/jobs/${accepted.json.id}`;
		}
		catch (error) {
			showErrors(error);
		}
	}

	function showErrors(error) {
		const unplaced = [];
		if (error instanceof ApiError) {
			Object.entries(error.fieldErrors).forEach(([name, text]) => {
				const place = form.querySelector(`#error-${CSS.escape(name)}`);
				if (place) {
					place.textContent = text;
					form.elements[name] && form.elements[name].setAttribute('aria-invalid', 'true');
				}
				else {
					unplaced.push(`${name}: ${text}`);
				}
			});
		}
		if (!(error instanceof ApiError) || Object.keys(error.fieldErrors).length === 0 || unplaced.length) {
			general.hidden = false;
			general.textContent = [explain(error), ...unplaced].join(' ');
		}
		const first = form.querySelector('[aria-invalid]');
		(first || general).focus && (first || general).focus();
	}
}
