// Forecast: pick a model, origin and horizon; history plus the forecast with its 80/95% bands. Backtests of the
// model's request: actual against predicted, and the error per horizon step.
import { api, query, ApiError } from '../api.js';
import { h, fmt, when, field, saveFile, showFieldErrors, clearFieldErrors, isFinished } from '../ui.js';
import { lineChart, barChart } from '../charts.js';

const LEVELS = [80, 95];
const BAND_COLORS = { 80: 'rgba(31,95,191,0.30)', 95: 'rgba(31,95,191,0.13)' };

export async function page(main, { params, onLeave }) {
  main.append(h('h1', {}, 'Forecast'));
  const models = await api.get('/api/models?take=200');
  if (!models.length) { main.append(h('p', {}, 'No model yet: ', h('a', { href: '#/runs' }, 'queue a training run'), '.')); return; }
  const datasets = Object.fromEntries((await api.get('/api/datasets?take=200')).map(d => [d.id, d]));
  const modelSelect = h('select', { 'data-field': 'model' }, models.map(m =>
    h('option', { value: m.id }, `${m.kind} · ${m.request.targets.join(',')} · ${datasets[m.datasetId]?.name ?? ''} · ${when(m.createdAt)}`)));
  modelSelect.value = params.get('model') ?? models[0].id;
  const origin = h('input', { type: 'text', 'data-field': 'origin', placeholder: 'end of the data', value: params.get('origin') ?? '' });
  const horizon = h('input', { type: 'text', inputmode: 'numeric', 'data-field': 'horizon', value: params.get('horizon') ?? '' });
  const seriesSelect = h('select', { 'data-field': 'series' });
  const targetSelect = h('select', {});
  const submit = h('button', { type: 'submit' }, 'Forecast');
  const errors = h('div', { class: 'errors', role: 'alert' });
  const chartEl = h('div', { class: 'chart', id: 'forecast-chart' });
  const table = h('div');
  const form = h('form', { class: 'card', id: 'forecast-form', novalidate: true },
    h('div', { class: 'row' }, field('Model', 'fc-model', modelSelect), field('Series', 'fc-series', seriesSelect), field('Target', 'fc-target', targetSelect),
      field('Origin (last observation used)', 'fc-origin', origin), field('Horizon', 'fc-horizon', horizon), submit), errors);
  const download = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Download forecast CSV');
  main.append(form, h('section', { class: 'card' }, h('h2', {}, 'History and forecast'),
    h('p', { class: 'muted' }, 'Shaded: the 80% and 95% prediction intervals. Scroll to zoom, drag to pan; focused: arrow keys pan, + and - zoom.'),
    chartEl, h('div', { class: 'row' }, download), table));
  const backtests = h('section', { class: 'card', id: 'backtests' });
  main.append(backtests);

  const model = () => models.find(m => m.id === modelSelect.value);
  const onModel = () => {
    const m = model(), d = datasets[m.datasetId];
    seriesSelect.replaceChildren(...(d?.series ?? []).filter(s => !m.request.series?.length || m.request.series.includes(s.id))
      .map(s => h('option', { value: s.id }, s.id)));
    targetSelect.replaceChildren(...m.request.targets.map(t => h('option', { value: t }, t)));
    if (!params.get('horizon') || horizon.dataset.model) horizon.value = m.request.horizon;
    horizon.dataset.model = m.id;
  };
  let last = null;
  const run = async () => {
    clearFieldErrors(form);
    errors.replaceChildren();
    const m = model(), d = datasets[m.datasetId], target = targetSelect.value, seriesId = seriesSelect.value;
    const body = { origin: origin.value.trim() || undefined, horizon: horizon.value.trim() ? Number(horizon.value) : undefined, levels: LEVELS };
    if (d?.series.length > 1) body.series = seriesId;
    let forecast;
    try { forecast = await api.post(`/api/models/${m.id}/forecast`, body); }
    catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const rest = showFieldErrors(form, err.errors);
      errors.append(h('p', {}, err.message), ...Object.entries(rest).map(([k, v]) => h('p', { class: 'field-error' }, `${k}: ${v.join(' ')}`)));
      return;
    }
    forecast = Array.isArray(forecast) ? forecast.find(f => f.series === seriesId) ?? forecast[0] : forecast;
    const data = await api.get(`/api/datasets/${m.datasetId}/data${query({ series: seriesId, columns: target, to: forecast.origin })}`);
    const s = data.series[0];
    const history = s.timestamps.map((t, i) => [t, s.columns[target][i]]);
    const points = forecast.points.map(p => [p.timestamp, p.values[target].mean]);
    const bands = LEVELS.slice().reverse().map(level => ({ name: `${level}% interval`, level, color: BAND_COLORS[level],
      points: forecast.points.map(p => [p.timestamp, p.values[target].lower[level], p.values[target].upper[level]]) }));
    const shown = Math.max(forecast.points.length * 6, 42); // enough history to judge the forecast by eye
    lineChart(chartEl, 'forecast', {
      xType: d?.frequency === 'steps' ? 'value' : 'time', lines: [{ name: 'history', points: history }, { name: 'forecast', points, color: '#d9480f' }], bands,
      zoomStart: history.length > shown ? Math.round(100 * (1 - shown / (history.length + points.length))) : 0, yName: target,
      description: `${target}: ${history.length} observed points up to ${forecast.origin}, then a ${points.length}-step forecast with 80% and 95% intervals.`,
    });
    window.__charts.forecast.origin = forecast.origin;
    table.replaceChildren(h('table', { 'aria-label': 'Forecast points' },
      h('thead', {}, h('tr', {}, ['Time', 'Mean', 'Lower 95%', 'Lower 80%', 'Upper 80%', 'Upper 95%'].map(t => h('th', {}, t)))),
      h('tbody', {}, forecast.points.map(p => { const v = p.values[target]; return h('tr', {}, h('td', {}, p.timestamp), h('td', { class: 'num' }, fmt(v.mean, 5)),
        h('td', { class: 'num' }, fmt(v.lower[95], 5)), h('td', { class: 'num' }, fmt(v.lower[80], 5)), h('td', { class: 'num' }, fmt(v.upper[80], 5)), h('td', { class: 'num' }, fmt(v.upper[95], 5))); }))));
    last = forecast;
    download.disabled = false;
  };
  download.addEventListener('click', () => {
    const rows = [['series', 'timestamp', 'target', 'mean', ...LEVELS.flatMap(l => [`lo-${l}`, `hi-${l}`])].join(',')];
    for (const p of last.points) for (const [t, v] of Object.entries(p.values))
      rows.push([last.series ?? '', p.timestamp, t, v.mean, ...LEVELS.flatMap(l => [v.lower[l], v.upper[l]])].join(','));
    saveFile(`forecast-${last.modelId}.csv`, rows.join('\n') + '\n', 'text/csv');
  });
  modelSelect.addEventListener('change', () => { onModel(); run().then(() => showBacktests(backtests, model(), onLeave)); });
  targetSelect.addEventListener('change', run);
  seriesSelect.addEventListener('change', run);
  form.addEventListener('submit', e => { e.preventDefault(); run(); });
  onModel();
  await run();
  await showBacktests(backtests, model(), onLeave);
}

/** The backtests of this model's dataset and kind, a form to queue one over a period, and the chosen one's charts. */
async function showBacktests(section, model, onLeave) {
  const all = await api.get('/api/backtests?take=200');
  const mine = all.filter(b => b.datasetId === model.datasetId && b.request.model.kind === model.kind);
  const from = h('input', { type: 'text', 'data-field': 'from', value: model.request.split?.validFrom ?? '' });
  const to = h('input', { type: 'text', 'data-field': 'to', value: model.request.split?.validTo ?? '' });
  const horizon = h('input', { type: 'text', 'data-field': 'horizon', value: String(Math.min(model.request.horizon, 14)) });
  const errors = h('div', { class: 'errors', role: 'alert' });
  const form = h('form', { novalidate: true, id: 'backtest-form' }, h('div', { class: 'row' },
    field('From', 'bt-from', from), field('To', 'bt-to', to), field('Horizon', 'bt-horizon', horizon), h('button', { type: 'submit' }, 'Run backtest')), errors);
  const choose = h('select', {}, mine.map(b => h('option', { value: b.id }, `${b.request.from} … ${b.request.to}, horizon ${b.request.horizon} · ${b.status}`)));
  const status = h('p', { 'aria-live': 'polite' });
  const actual = h('div', { class: 'chart small', id: 'backtest-chart', hidden: true });
  const perStep = h('div', { class: 'chart small', id: 'backtest-horizon', hidden: true });
  section.replaceChildren(h('h2', {}, `Backtests (${model.kind})`), form,
    mine.length ? field('Backtest', 'bt-choose', choose) : h('p', { class: 'muted', id: 'bt-none' }, 'No backtest yet for this kind on this dataset.'),
    status, actual, perStep);
  let timer = null;
  const showOne = async id => {
    clearInterval(timer);
    if (!id) return;
    const b = await api.get(`/api/backtests/${id}`);
    const option = choose.querySelector(`option[value="${id}"]`);
    if (option) option.textContent = `${b.request.from} … ${b.request.to}, horizon ${b.request.horizon} · ${b.status}`;
    status.textContent = `${b.status}: ${b.progress.done} of ${b.progress.total} origins${b.error ? ` — ${b.error}` : ''}` +
      (b.metrics ? ` · MAE ${fmt(b.metrics.mae)}` : '');
    if (!isFinished(b.status)) { timer = setInterval(() => showOne(id), 1000); onLeave(() => clearInterval(timer)); return; }
    actual.hidden = perStep.hidden = false;
    const forecasts = b.forecasts ?? [];
    const step = 1;
    const first = forecasts.filter(f => f.step === step);
    lineChart(actual, 'backtest', { xType: typeof first[0]?.timestamp === 'number' ? 'value' : 'time',
      lines: [{ name: 'actual', points: first.map(f => [f.timestamp, f.actual]) }, { name: `predicted ${step} step ahead`, points: first.map(f => [f.timestamp, f.predicted]), color: '#d9480f' }],
      description: `Backtest: actual against predicted one step ahead at ${first.length} origins.` });
    const steps = b.metrics?.perHorizon ?? [];
    barChart(perStep, 'backtest-horizon', { categories: steps.map(s => String(s.step)), series: [{ name: 'MAE', values: steps.map(s => s.mae) }],
      xName: 'step ahead', yName: 'MAE', description: `Backtest mean absolute error for each of ${steps.length} steps ahead.` });
  };
  choose.addEventListener('change', () => showOne(choose.value));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(form);
    errors.replaceChildren();
    const r = model.request;
    try {
      const queued = await api.post('/api/backtests', { datasetId: r.datasetId, series: r.series, targets: r.targets, inputs: r.inputs, model: r.model,
        windowLength: r.windowLength, strategy: r.strategy, from: from.value.trim() || undefined, to: to.value.trim() || undefined,
        horizon: horizon.value.trim() ? Number(horizon.value) : undefined, trainFrom: r.split?.trainFrom });
      choose.prepend(h('option', { value: queued.id }, `${from.value} … ${to.value}, horizon ${horizon.value} · queued`));
      choose.value = queued.id;
      if (!choose.isConnected) { section.querySelector('#bt-none')?.remove(); section.insertBefore(field('Backtest', 'bt-choose', choose), status); }
      await showOne(queued.id);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const rest = showFieldErrors(form, err.errors);
      errors.append(h('p', {}, err.message), ...Object.entries(rest).map(([k, v]) => h('p', { class: 'field-error' }, `${k}: ${v.join(' ')}`)));
    }
  });
  await showOne(mine[0]?.id);
}
