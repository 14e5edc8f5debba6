// Start a job: a corpus file (uploaded as multipart) or pasted text, and a form whose fields,
// defaults, limits and help come from the contract's TrainRequest (openapi.yaml, the one
// source of truth). The server validates; its problem details are shown under the fields
// they name.

import { ApiError, api, explain } from './api.js';
import { h } from './dom.js';

const CORPUS_FIELDS = new Set(['name', 'pairs', 'text']);

let contract = null;

/** 128 random bits as hex (crypto.randomUUID needs a secure context; this does not). */
function randomKey() {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function trainRequestSchema() {
	if (!contract) {
		const response = await fetch('/openapi.yaml');
		if (!response.ok) {
			throw new Error(`the contract (/openapi.yaml) could not be read: ${response.status}`);
		}
		// Kept only once it parsed: a failed load is tried again at the next visit.
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

export async function trainView(page) {
	const { main } = page;
	const schema = await trainRequestSchema();
	if (!page.current()) {
		return;
	}
	// One key per form shown: a double submit or a retry returns the first job.
	const idempotencyKey = randomKey();
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
	const submitButton = form.querySelector('#train-submit');

	/** The settings typed, as their JSON types; null after marking a number that is not one. */
	function values() {
		const chosen = {};
		let valid = true;
		settings.forEach(([name, property]) => {
			const control = form.elements[name];
			const raw = control.value;
			if (property.type === 'integer' || property.type === 'number') {
				// A number input holding "1e" reads as empty: say so rather than use the default.
				const number = Number(raw);
				if ((control.validity && control.validity.badInput) || (raw.trim() !== '' && !Number.isFinite(number))) {
					markField(name, 'This is not a number.');
					valid = false;
				}
				else if (raw.trim() !== '') {
					chosen[name] = number;
				}
			}
			else if (raw.trim() === '') {
				// Left empty: the default.
			}
			else if (property.type === 'boolean') {
				chosen[name] = raw === 'true';
			}
			else {
				// As typed, spaces included (a delimiter may be one).
				chosen[name] = raw;
			}
		});
		return valid ? chosen : null;
	}

	function markField(name, text) {
		const place = form.querySelector(`#error-${CSS.escape(name)}`);
		if (!place) {
			return false;
		}
		place.textContent = text;
		if (form.elements[name]) {
			form.elements[name].setAttribute('aria-invalid', 'true');
		}
		return true;
	}

	async function submit(event) {
		event.preventDefault();
		form.querySelectorAll('.field-error').forEach((error) => { error.textContent = ''; });
		form.querySelectorAll('[aria-invalid]').forEach((control) => control.removeAttribute('aria-invalid'));
		general.hidden = true;
		const name = form.elements.name.value.trim();
		const file = form.elements.corpus.files[0];
		const chosen = values();
		if (!chosen) {
			form.querySelector('[aria-invalid]').focus();
			return;
		}
		submitButton.disabled = true;
		try {
			let accepted;
			if (file) {
				const body = new FormData();
				body.append('corpus', file);
				body.append('name', name);
				Object.entries(chosen).forEach(([key, value]) => body.append(key, String(value)));
				accepted = await api('POST', '/train/upload', body, { 'Idempotency-Key': idempotencyKey });
			}
			else {
				accepted = await api('POST', '/train', { name, text: form.elements.text.value, ...chosen },
					{ 'Idempotency-Key': idempotencyKey });
			}
			if (page.current()) {
				location.hash = `#/jobs/${encodeURIComponent(accepted.json.id)}`;
			}
		}
		catch (error) {
			if (page.current()) {
				showErrors(error);
			}
		}
		finally {
			submitButton.disabled = false;
		}
	}

	function showErrors(error) {
		const unplaced = [];
		if (error instanceof ApiError) {
			Object.entries(error.fieldErrors).forEach(([name, text]) => {
				if (!markField(name, text)) {
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
