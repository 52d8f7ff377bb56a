// Hash routes (#/datasets, #/runs/ID, …): each page renders into <main> from the public API.
import { apiKey, ApiError } from './api.js';
import { h, toast } from './ui.js';
import { disposeDetached } from './charts.js';
import * as datasets from './pages/datasets.js';
import * as runs from './pages/runs.js';
import * as models from './pages/models.js';
import * as forecast from './pages/forecast.js';
import * as schedules from './pages/schedules.js';
import * as forecasters from './pages/forecasters.js';

const routes = {
  datasets: [datasets.list, datasets.detail],
  runs: [runs.list, runs.detail],
  models: [models.list, models.detail],
  forecast: [forecast.page, forecast.page],
  schedules: [schedules.list, schedules.list],
  forecasters: [forecasters.list, forecasters.detail],
};

let leaving = [];

async function render() {
  leaving.forEach(stop => stop());
  leaving = [];
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [section = 'datasets', id] = path.split('/');
  const [list, detail] = routes[section] ?? routes.datasets;
  for (const a of document.querySelectorAll('.top nav a')) {
    if (a.getAttribute('href') === `#/${section}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const main = document.getElementById('main');
  for (const key of Object.keys(main.dataset)) if (key !== 'ready') delete main.dataset[key];
  const context = { id, params: new URLSearchParams(search), onLeave: stop => leaving.push(stop) };
  try {
    main.replaceChildren();
    await (id ? detail : list)(main, context);
  } catch (e) {
    main.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { class: 'errors', role: 'alert' }, describe(e)));
  }
  disposeDetached();
  document.title = `${main.querySelector('h1')?.textContent ?? 'Dashboard'} · Forecasting`;
  main.dataset.ready = 'true';
  if (!performance.getEntriesByName('dashboard-ready').length) performance.mark('dashboard-ready');
}

export function describe(e) {
  if (e instanceof ApiError && (e.status === 401 || e.status === 403))
    return `${e.message} Enter an API key with the needed scope in the box at the top.`;
  return e.message ?? String(e);
}

const keyForm = document.getElementById('api-key-form');
const keyInput = document.getElementById('api-key');
keyInput.value = apiKey.get();
keyForm.addEventListener('submit', e => {
  e.preventDefault();
  apiKey.set(keyInput.value.trim());
  toast(keyInput.value.trim() ? 'API key saved in this browser.' : 'API key removed (open mode).');
  render();
});

window.addEventListener('hashchange', () => { document.getElementById('main').dataset.ready = 'false'; render(); });
render();
