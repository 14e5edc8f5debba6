// Calls to the service from the console: the API key (kept in this tab's session storage,
// sent as a header, never in a URL) and problem details turned into errors that name their
// fields.

const KEY = 'elman.apiKey';

export function apiKey() {
	return sessionStorage.getItem(KEY) || '';
}

export function setApiKey(key) {
	if (key) {
		sessionStorage.setItem(KEY, key);
	}
	else {
		sessionStorage.removeItem(KEY);
	}
}

/** A 4xx or 5xx answer: its status, its problem details and the fields they name. */
export class ApiError extends Error {
	constructor(status, problem) {
		super((problem && (problem.detail || problem.title)) || `The service answered ${status}`);
		this.status = status;
		this.problem = problem || {};
		this.fieldErrors = (problem && problem.errors) || {};
	}
}

/**
 * Sends a request. body: an object (sent as JSON) or FormData (sent as multipart); extra:
 * more headers. Returns { status, json, location }.
 */
export async function api(method, path, body, extra) {
	const headers = { Accept: 'application/json, application/problem+json', ...(extra || {}) };
	const key = apiKey();
	if (key) {
		headers['X-API-Key'] = key;
	}
	let payload;
	if (body instanceof FormData) {
		payload = body;
	}
	else if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		payload = JSON.stringify(body);
	}
	const response = await fetch(path, { method, headers, body: payload });
	const text = await response.text();
	let json = null;
	try {
		json = text ? JSON.parse(text) : null;
	}
	catch (ignored) {
		json = null;
	}
	if (!response.ok) {
		throw new ApiError(response.status, json);
	}
	return { status: response.status, json, location: response.headers.get('Location') };
}

/** The sentence to show for an error, saying what to do about a missing or wrong key. */
export function explain(error) {
	// The service answers 401 without a key and 403 for a key it does not know.
	if (error instanceof ApiError && error.status === 401) {
		return 'This needs an API key: enter it in the key field above.';
	}
	if (error instanceof ApiError && error.status === 403) {
		return 'The service refused this API key: check it in the key field above.';
	}
	return error.message || String(error);
}
