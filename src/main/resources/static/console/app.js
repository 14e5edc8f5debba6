// The console's pages behind the address's fragment: #/jobs, #/jobs/{id}, #/train,
// #/compare?ids=a,b, #/models, #/models/{name}. Each page may leave clean-ups (an event
// stream to close, a timer to stop, charts to free) for when another page replaces it.

import { apiKey, setApiKey } from './api.js';
import { compareView } from './compare.js';
import { jobView } from './job.js';
import { jobsView } from './jobs.js';
import { modelView, modelsView } from './models.js';
import { trainView } from './train.js';

const main = document.getElementById('main');
const banner = document.getElementById('banner');
let current = null;

function fail(error) {
	banner.hidden = false;
	banner.textContent = `This page failed: ${error.message || error}`;
}

/**
 * What a page gets: where to draw, the address's query, a place for its clean-ups, and
 * whether it is still the page shown (an answer that arrives after the user moved on must
 * not draw over the next page).
 */
function newPage(params) {
	const cleanUps = [];
	const page = {
		main, params, left: false,
		current: () => !page.left,
		onLeave(cleanUp) {
			if (page.left) {
				cleanUp();
			}
			else {
				cleanUps.push(cleanUp);
			}
		},
		leave() {
			page.left = true;
			cleanUps.splice(0).forEach((cleanUp) => cleanUp());
		},
	};
	return page;
}

function route() {
	if (current) {
		current.leave();
	}
	try {
		const [path, query] = (location.hash.replace(/^#/, '') || '/jobs').split('?');
		const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
		const page = newPage(new URLSearchParams(query || ''));
		current = page;
		document.querySelectorAll('nav a[data-section]').forEach((link) => {
			if (link.dataset.section === parts[0]) {
				link.setAttribute('aria-current', 'page');
			}
			else {
				link.removeAttribute('aria-current');
			}
		});
		let shown;
		if (parts[0] === 'jobs' && parts[1]) {
			shown = jobView(page, parts[1]);
		}
		else if (parts[0] === 'train') {
			shown = trainView(page);
		}
		else if (parts[0] === 'compare') {
			shown = compareView(page);
		}
		else if (parts[0] === 'models' && parts[1]) {
			shown = modelView(page, parts[1]);
		}
		else if (parts[0] === 'models') {
			shown = modelsView(page);
		}
		else {
			shown = jobsView(page);
		}
		Promise.resolve(shown).catch(fail);
		document.title = `Elman console – ${parts[0] || 'jobs'}`;
	}
	catch (error) {
		// A malformed address (say, #/models/%) or a page that failed at once.
		fail(error);
	}
}

const keyInput = document.getElementById('api-key');
keyInput.value = apiKey();
document.getElementById('key-form').addEventListener('submit', (event) => {
	event.preventDefault();
	setApiKey(keyInput.value.trim());
	banner.hidden = false;
	banner.textContent = keyInput.value.trim() ? 'The API key is kept in this tab and sent with each change.'
		: 'No API key: changes work only while the service has keys off.';
});
document.getElementById('key-forget').addEventListener('click', () => {
	setApiKey('');
	keyInput.value = '';
});

window.addEventListener('hashchange', () => {
	banner.hidden = true;
	route();
	main.focus({ preventScroll: true });
});
route();
