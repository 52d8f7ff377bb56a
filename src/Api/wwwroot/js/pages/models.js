// Models: a leaderboard per dataset and target (GET /api/models/leaderboard: models ranked only within groups of
// comparable validation figures), and one model's metrics per horizon step, interval coverage when the service
// reports it, and downloads.
import { api, query, ApiError } from '../api.js';
import { h, fmt, when, saveFile, field, showFieldErrors, clearFieldErrors } from '../ui.js';
import { barChart, lineChart } from '../charts.js';

const SORTS = { 'validation.mae': 'validation MAE', 'validation.mase': 'validation MASE', 'validation.wape': 'validation WAPE', 'validation.rmse': 'validation RMSE', 'validation.mape': 'validation MAPE', 'test.mae': 'test MAE' };
const COLUMNS = 14;

/** A target's metrics where the model has several targets; else the model's own. */
function forTarget(set, target) { return target && set?.byTarget?.[target] ? set.byTarget[target] : set; }

/** MAPE with the zero actuals it left out, which it cannot divide by. */
function mapeText(set) { return set?.mapeSkippedZeros ? `${fmt(set.mape)} (${set.mapeSkippedZeros} zeros skipped)` : fmt(set?.mape); }

/** What a group's figures are measured on. */
function scopeText(group) {
  const s = group.scope;
  const where = s ? `${s.series} series, validated ${s.from ?? '—'} to ${s.to ?? '—'}` : 'validation data not recorded (an older model)';
  return `${where} · ${group.targets.join(', ')} · horizon ${group.horizon}`;
}

export async function list(main, { params }) {
  main.append(h('h1', {}, 'Models'));
  const datasets = await api.get('/api/datasets?take=200');
  const datasetSelect = h('select', {}, h('option', { value: '' }, 'all datasets'), datasets.map(d => h('option', { value: d.id }, d.name)));
  datasetSelect.value = params.get('dataset') ?? datasets[0]?.id ?? '';
  const targetSelect = h('select', {});
  const sortSelect = h('select', {}, Object.entries(SORTS).map(([v, t]) => h('option', { value: v }, t)));
  sortSelect.value = params.get('sort') ?? 'validation.mae';
  const body = h('tbody', { id: 'leaderboard-body' });
  const head = h('thead');
  const note = h('p', { class: 'muted', id: 'leaderboard-note' });
  main.append(h('section', { class: 'card' },
    h('div', { class: 'row' }, field('Dataset', 'lb-dataset', datasetSelect), field('Target', 'lb-target', targetSelect), field('Rank by', 'lb-sort', sortSelect)),
    note, h('table', { 'aria-label': 'Leaderboard' }, head, body)));

  const fillTargets = () => {
    const d = datasets.find(x => x.id === datasetSelect.value);
    const names = d ? d.columns.filter(c => c.kind === 'numeric').map(c => c.name) : [];
    targetSelect.replaceChildren(h('option', { value: '' }, 'any'), ...names.map(n => h('option', { value: n }, n)));
    targetSelect.value = params.get('target') && names.includes(params.get('target')) ? params.get('target') : names[0] ?? '';
  };
  const refresh = async () => {
    const target = targetSelect.value, sort = sortSelect.value;
    const board = await api.get(`/api/models/leaderboard${query({ datasetId: datasetSelect.value, target, sort })}`);
    note.textContent = board.note + ' All figures are in the data\'s units except MASE (relative to the seasonal naive in sample) and WAPE (a fraction of the actuals).';
    const models = board.groups.flatMap(g => g.models.map(e => e.model));
    const levels = [...new Set(models.flatMap(m => Object.keys(forTarget(m.metrics?.validation, target)?.coverage ?? {})))];
    head.replaceChildren(h('tr', {}, h('th', { class: 'num' }, '#'), h('th', {}, 'Kind'), h('th', { class: 'num' }, 'Series'),
      h('th', { class: 'num' }, 'Valid MAE'), h('th', { class: 'num' }, 'MASE'), h('th', { class: 'num' }, 'WAPE'), h('th', { class: 'num' }, 'Bias'),
      h('th', { class: 'num' }, 'Valid MAPE %'), h('th', { class: 'num' }, 'Valid RMSE'), h('th', { class: 'num' }, 'Test MAE'),
      levels.map(l => h('th', { class: 'num' }, `Coverage ${l}%`)), h('th', { class: 'num' }, 'Parameters'), h('th', {}, 'Trained')));
    body.replaceChildren(...board.groups.flatMap((g, i) => [
      h('tr', { class: 'group', 'data-group': i }, h('th', { colspan: COLUMNS + levels.length, scope: 'rowgroup' }, `Group ${i + 1}: ${scopeText(g)}`)),
      ...g.models.map(({ rank, model: m }) => {
        const v = forTarget(m.metrics?.validation, target), t = forTarget(m.metrics?.test, target);
        return h('tr', { 'data-model': m.id }, h('td', { class: 'num' }, rank ?? '—'), h('td', {}, h('a', { href: `#/models/${m.id}` }, m.kind)),
          h('td', { class: 'num' }, fmt(m.metrics?.validationScope?.series ?? v?.series)),
          h('td', { class: 'num' }, fmt(v?.mae)), h('td', { class: 'num' }, fmt(v?.mase)), h('td', { class: 'num' }, fmt(v?.wape)), h('td', { class: 'num' }, fmt(v?.bias)),
          h('td', { class: 'num' }, mapeText(v)), h('td', { class: 'num' }, fmt(v?.rmse)), h('td', { class: 'num' }, fmt(t?.mae)),
          levels.map(l => h('td', { class: 'num' }, fmt(v?.coverage?.[l]))), h('td', { class: 'num' }, fmt(m.parameters)), h('td', {}, when(m.createdAt)));
      })]));
    if (!models.length) body.append(h('tr', {}, h('td', { colspan: COLUMNS }, 'No model for this choice yet.')));
  };
  datasetSelect.addEventListener('change', () => { fillTargets(); refresh(); });
  targetSelect.addEventListener('change', refresh);
  sortSelect.addEventListener('change', refresh);
  fillTargets();
  await refresh();
}

export async function detail(main, { id }) {
  const [model, kinds] = await Promise.all([api.get(`/api/models/${id}`), api.get('/api/model-kinds')]);
  const targets = model.request.targets;
  // Only kinds whose state is weight tensors have a safetensors file to download.
  const hasWeights = kinds.find(k => k.name === model.kind)?.hasWeightTensors === true;
  main.append(h('h1', {}, `Model ${model.kind}`),
    h('p', { class: 'muted' }, `Targets ${targets.join(', ')}, horizon ${model.request.horizon}, ${fmt(model.parameters)} parameters, trained in ${fmt(model.trainingSeconds)} s on ${when(model.createdAt)}. `,
      h('a', { href: `#/runs/${model.trainingRunId}` }, 'Its run'), ' · ', h('a', { href: `#/forecast?model=${id}` }, 'Forecast with it')));
  const downloads = h('div', { class: 'row' },
    hasWeights ? h('button', { type: 'button', onclick: async () => saveFile(`${model.kind}-${id}.safetensors`, await api.blob(`/api/models/${id}/weights`)) }, 'Download weights') : null,
    h('button', { type: 'button', class: 'secondary', onclick: () => saveFile(`${model.kind}-${id}.json`, JSON.stringify(model, null, 2), 'application/json') }, 'Download model JSON'));
  main.append(h('section', { class: 'card' }, h('h2', {}, 'Downloads'), downloads,
    h('p', { class: 'muted' }, 'Forecasts download as CSV from the forecast page.')));

  const rows = [];
  for (const [name, set] of Object.entries(model.metrics ?? {})) {
    if (!set || !(name === 'validation' || name === 'test')) continue;
    for (const target of targets.length > 1 ? targets : [null]) {
      const s = forTarget(set, target);
      rows.push(h('tr', {}, h('td', {}, name), h('td', {}, target ?? targets[0]), h('td', { class: 'num' }, fmt(s.mae)),
        h('td', { class: 'num' }, fmt(s.mase)), h('td', { class: 'num' }, fmt(s.wape)), h('td', { class: 'num' }, fmt(s.bias)), h('td', { class: 'num' }, mapeText(s)),
        h('td', { class: 'num' }, fmt(s.rmse)), h('td', { class: 'num' }, fmt(s.count)), h('td', { class: 'num' }, fmt(s.series)),
        h('td', {}, s.coverage ? Object.entries(s.coverage).map(([l, c]) => `${l}%: ${fmt(c)}`).join(', ') : '—'),
        h('td', {}, s.intervalScore ? Object.entries(s.intervalScore).map(([l, c]) => `${l}%: ${fmt(c)}`).join(', ') : '—')));
    }
  }
  const scope = model.metrics?.validationScope;
  const mase = model.metrics?.validation?.maseSeason;
  main.append(h('section', { class: 'card' }, h('h2', {}, 'Metrics (errors in data units; MASE and WAPE are ratios)'),
    h('p', { class: 'muted', id: 'metrics-scope' }, (scope ? `Validated on ${scope.series} series from ${scope.from ?? '—'} to ${scope.to ?? '—'}. ` : '') +
      'The validation MAE is the one figure the run, its schedule and the leaderboard report. ' +
      `MASE divides each series' MAE by its in-sample seasonal naive MAE${mase ? ` (lag ${mase})` : ''}, then averages the series; WAPE is Σ|error| / Σ|actual|; bias is the mean of forecast − actual.`),
    h('table', { 'aria-label': 'Metrics' },
    h('thead', {}, h('tr', {}, ['Period', 'Target', 'MAE', 'MASE', 'WAPE', 'Bias', 'MAPE %', 'RMSE', 'Count', 'Series', 'Interval coverage', 'Interval score'].map(t => h('th', {}, t)))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 12 }, 'No validation or test period: no metrics.'))))));

  if (model.series) main.append(seriesOutcomes(model));
  main.append(anomalies(model));

  const perHorizon = h('div', { class: 'chart small', id: 'per-horizon' });
  main.append(h('section', { class: 'card' }, h('h2', {}, 'MAE per horizon step'), perHorizon));
  const steps = [...new Set(Object.values(model.metrics ?? {}).flatMap(s => s?.perHorizon?.map(p => p.step) ?? []))].sort((a, b) => a - b);
  const series = Object.entries(model.metrics ?? {}).filter(([, s]) => s?.perHorizon)
    .map(([name, s]) => ({ name: `${name} MAE`, values: steps.map(step => s.perHorizon.find(p => p.step === step)?.mae ?? null) }));
  barChart(perHorizon, 'per-horizon', { categories: steps.map(String), series, xName: 'step ahead', yName: 'MAE',
    description: `Mean absolute error for each of ${steps.length} steps ahead, ${series.map(s => s.name).join(' and ')}.` });
}

// POST /api/models/{id}/anomalies: the observations of a period outside the model's interval, flagged points listed.
function anomalies(model) {
  const input = (field, value = '') => h('input', { type: 'text', value, dataset: { field } });
  const from = input('from', model.metrics?.validationScope?.from ?? ''), to = input('to'), level = input('level', '99'), step = input('step', '1');
  const clean = h('input', { type: 'checkbox', dataset: { field: 'clean' } });
  const out = h('div', { id: 'anomalies-result' });
  const form = h('form', { class: 'row', 'aria-label': 'Anomalies' },
    field('From', 'anomalies-from', from), field('To (default: end)', 'anomalies-to', to), field('Level %', 'anomalies-level', level),
    field('Steps ahead', 'anomalies-step', step), field('Clean flagged values', 'anomalies-clean', clean),
    h('button', { type: 'submit' }, 'Find anomalies'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearFieldErrors(form);
    out.replaceChildren();
    const body = { from: from.value.trim() || undefined, to: to.value.trim() || undefined, level: Number(level.value), step: Number(step.value), clean: clean.checked };
    let answer;
    try { answer = await api.post(`/api/models/${model.id}/anomalies`, body); }
    catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const rest = showFieldErrors(form, err.errors);
      out.append(h('p', {}, err.message), ...Object.entries(rest).map(([k, v]) => h('p', { class: 'field-error' }, `${k}: ${v.join(' ')}`)));
      return;
    }
    const count = answer.counts[0], key = Object.keys(answer.points[0]?.anomaly ?? {})[0];
    const flagged = answer.points.filter(p => p.anomaly[key]);
    // The chart shows one series and target at a time: the first judged, or the one chosen.
    const pairs = [...new Set(answer.points.map(p => `${p.series}\u0000${p.target}`))].map(k => k.split('\u0000'));
    const choose = h('select', { id: 'anomalies-series', 'aria-label': 'Series on the chart' }, pairs.map(([s, t], i) => h('option', { value: i }, pairs.length > 1 ? `${s} · ${t}` : s)));
    const chart = h('div', { class: 'chart', id: 'anomalies-chart' });
    const draw = () => {
      const [series, target] = pairs[Number(choose.value)];
      const points = answer.points.filter(p => p.series === series && p.target === target);
      const xType = typeof points[0]?.timestamp === 'number' ? 'value' : 'time';
      const marked = points.filter(p => p.anomaly[key]);
      lineChart(chart, 'anomalies', { xType, yName: target,
        lines: [{ name: 'actual', points: points.map(p => [p.timestamp, p.actual]) }, { name: 'forecast', points: points.map(p => [p.timestamp, p.mean]), color: '#d9480f', dashed: true }],
        bands: [{ name: `${count.level}% interval`, points: points.map(p => [p.timestamp, p.lower[key], p.upper[key]]) }],
        marks: [{ name: 'anomaly', points: marked.map(p => [p.timestamp, p.actual]), color: '#c92a2a' }],
        description: `${target} of series ${series}: ${points.length} observations against their ${answer.step}-step forecasts and ${count.level}% intervals; ${marked.length} flagged.` });
    };
    choose.addEventListener('change', draw);
    out.append(h('p', {}, `${count.flagged} of ${count.observations} observations flagged at ${count.level}% (${answer.method} intervals, ${answer.step} step ahead); ${fmt(count.expectedFlagged)} expected by chance.`),
      ...(pairs.length > 1 ? [field('Series on the chart', 'anomalies-series', choose)] : []), chart,
      flagged.length ? h('table', { 'aria-label': 'Flagged observations' },
        h('thead', {}, h('tr', {}, ['Series', 'Target', 'Time', 'Actual', 'Forecast', 'Lower', 'Upper', 'Score'].map(t => h('th', {}, t)))),
        h('tbody', {}, flagged.map(p => h('tr', {}, h('td', {}, p.series), h('td', {}, p.target), h('td', {}, String(p.timestamp)),
          ...[p.actual, p.mean, p.lower[key], p.upper[key], p.score[key]].map(v => h('td', { class: 'num' }, fmt(v))))))) : h('p', { class: 'muted' }, 'None flagged.'));
    if (pairs.length) draw();
  });
  return h('section', { class: 'card' }, h('h2', {}, 'Anomalies'),
    h('p', { class: 'muted' }, "Each observation is judged by the model's forecast from the data before it (parameters fixed); those outside the interval are listed. ",
      h('code', {}, `POST /api/models/${model.id}/anomalies`), ' (CSV with Accept: text/csv).'),
    form, out);
}

// What training did with each series: counts, and the series the kind did not fit with the method that stands in and why.
function seriesOutcomes(model) {
  const { fitted, fallback, skipped, notFitted } = model.series;
  const total = fitted + fallback + skipped;
  const rows = notFitted.map(s => h('tr', {}, h('td', {}, s.series), h('td', {}, s.target), h('td', {}, s.status), h('td', {}, s.method ?? '—'), h('td', {}, s.reason ?? '')));
  const more = fallback + skipped > notFitted.length
    ? h('p', { class: 'muted' }, `The first ${notFitted.length} are listed; all of them at `, h('code', {}, `GET /api/models/${model.id}/series?status=fallback`), '.') : null;
  return h('section', { class: 'card' }, h('h2', {}, 'Series'),
    h('p', {}, `${fitted} of ${total} fitted by ${model.kind}, ${fallback} by the fallback, ${skipped} skipped.`),
    notFitted.length ? h('table', { 'aria-label': 'Series not fitted' },
      h('thead', {}, h('tr', {}, ['Series', 'Target', 'Status', 'Forecast by', 'Why'].map(t => h('th', {}, t)))),
      h('tbody', {}, rows)) : null,
    more);
}
