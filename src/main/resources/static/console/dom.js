// Building elements without innerHTML, so nothing the service returns (model names, corpus
// file names, generated text) is ever read as markup.

export function h(tag, attributes, ...children) {
	const element = document.createElement(tag);
	Object.entries(attributes || {}).forEach(([name, value]) => {
		if (value == null || value === false) {
			return;
		}
		if (name.startsWith('on')) {
			element.addEventListener(name.slice(2), value);
		}
		else if (name === 'dataset') {
			Object.assign(element.dataset, value);
		}
		else {
			element.setAttribute(name, value === true ? '' : value);
		}
	});
	children.flat().forEach((child) => {
		if (child != null && child !== false) {
			element.append(child instanceof Node ? child : String(child));
		}
	});
	return element;
}

export function number(value, digits) {
	if (value == null || Number.isNaN(value)) {
		return '–';
	}
	return Number(value).toLocaleString('en', { maximumFractionDigits: digits == null ? 3 : digits });
}

export function percent(value) {
	return value == null ? '–' : `${(100 * value).toFixed(1)}%`;
}

export function duration(seconds) {
	if (seconds == null || !Number.isFinite(seconds)) {
		return '–';
	}
	const s = Math.round(seconds);
	return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
		: s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

export function time(iso) {
	return iso ? new Date(iso).toLocaleString() : '–';
}
