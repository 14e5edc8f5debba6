// The console's pages behind the address's fragment: #/jobs, #/jobs/{id}, #/train,
// #/compare?ids=a,b, #/models, #/models/{name}. Each page may leave a clean-up (an event
// stream to close, a timer to stop) for when another page replaces it.

import { apiKey, setApiKey } from './api.js';
import { compareView } from './compare.js';
import { jobView } from './job.js';
import { jobsView } from './jobs.js';
import { modelView, modelsView } from './models.js';
import { trainView } from './train.js';

const main = document.getElementById('main');
const banner = document.getElementById('banner');
let cleanUps = [];

function onLeave(cleanUp) {
	cleanUps.push(cleanUp);
}

function route() {
	cleanUps.forEach((cleanUp) => cleanUp());
	cleanUps = [];
	const [path, query] = (location.hash.replace(/^#/, '') || '/jobs').split('?');
	const params = new URLSearchParams(query || '');
	const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
	document.querySelectorAll('nav a[data-section]').forEach((link) => {
		if (link.dataset.section === parts[0]) {
			link.setAttribute('aria-current', 'page');
		}
		else {
			link.removeAttribute('aria-current');
		}
	});
	let page;
	if (parts[0] === 'jobs' && parts[1]) {
		page = jobView(main, parts[1], onLeave);
	}
	else if (parts[0] === 'train') {
		page = trainView(main);
	}
	else if (parts[0] === 'compare') {
		page = compareView(main, params, onLeave);
	}
	else if (parts[0] === 'models' && parts[1]) {
		page = modelView(main, parts[1]);
	}
	else if (parts[0] === 'models') {
		page = modelsView(main);
	}
	else {
		page = jobsView(main, params, onLeave);
	}
	Promise.resolve(page).catch((error) => {
		banner.hidden = false;
		banner.textContent = `This page failed: ${error.message || error}`;
	});
	document.title = `Elman console – ${parts[0] || 'jobs'}`;
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
