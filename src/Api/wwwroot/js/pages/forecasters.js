// Forecasters: the model each serves, and how its served forecasts did since (the ledger), against validation,
// with the drift rule and its events, and the observations its model flagged on arrival.
import { api } from '../api.js';
import { h, fmt, when, saveFile } from '../ui.js';
import { lineChart } from '../charts.js';

export async function list(main) {
  main.append(h('h1', {}, 'Forecasters'));
  const forecasters = await api.get('/api/forecasters?take=200');
  if (!forecasters.length) {
    main.append(h('section', { class: 'card' }, h('p', {}, 'No forecaster yet. Name a model with POST /api/forecasters (see ', h('a', { href: 'swagger' }, 'Swagger'), ').')));
    return;
  }
  main.append(h('section', { class: 'card' }, h('table', {},
    h('thead', {}, h('tr', {}, ['Name', 'Active model', 'Follows schedule', 'Updated'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, forecasters.map(f => h('tr', { 'data-forecaster': f.name },
      h('td', {}, h('a', { href: `#/forecasters/${encodeURIComponent(f.name)}` }, f.name)),
      h('td', {}, f.activeModelId ? h('a', { href: `#/models/${f.activeModelId}` }, f.activeModelId) : 'none yet'),
      h('td', {}, f.scheduleId ?? '—'), h('td', {}, when(f.updatedAt))))))));
}

const BUCKETS = ['day', 'week', 'month'];
const short = id => id.slice(0, 8);

export async function detail(main, { id, params }) {
  const name = decodeURIComponent(id);
  const bucket = BUCKETS.includes(params.get('bucket')) ? params.get('bucket') : 'week';
  const path = `/api/forecasters/${encodeURIComponent(name)}`;
  const [forecaster, accuracy, events, anomalies] = await Promise.all([
    api.get(path), api.get(`${path}/accuracy?bucket=${bucket}`), api.get(`${path}/events?take=200`), api.get(`${path}/anomalies?take=200`)]);
  main.dataset.forecaster = name;
  main.append(h('h1', {}, `Forecaster ${name}`));

  const drift = forecaster.drift;
  main.append(h('section', { class: 'card' }, h('table', {}, h('tbody', {},
    h('tr', {}, h('th', {}, 'Active model'), h('td', {}, forecaster.activeModelId ? h('a', { href: `#/models/${forecaster.activeModelId}` }, forecaster.activeModelId) : 'none yet')),
    h('tr', {}, h('th', {}, 'Follows schedule'), h('td', {}, forecaster.scheduleId ? h('a', { href: '#/schedules' }, forecaster.scheduleId) : '—')),
    h('tr', {}, h('th', {}, 'Drift rule'), h('td', { 'data-drift': drift ? (drift.firing ? 'firing' : 'armed') : 'none' }, drift
      ? `${drift.rule} over the last ${drift.window} scored forecasts, threshold ${fmt(drift.threshold)}, on drift: ${drift.onDrift}${drift.firing ? ' · above the threshold now' : ''}`
      : 'none'))))));

  // Live accuracy over time, one pair of lines per model served: live per bucket, validation as the dashed level.
  const picker = h('select', { id: 'accuracy-bucket', onchange: e => { location.hash = `#/forecasters/${encodeURIComponent(name)}?bucket=${e.target.value}`; } },
    BUCKETS.map(b => h('option', { value: b, selected: b === bucket }, b)));
  const download = h('button', { type: 'button', onclick: async () =>
    saveFile(`${name}-forecasts.csv`, await api.blob(`${path}/forecasts`, 'text/csv')) }, 'Download recorded forecasts (CSV)');
  const maeEl = h('div', { class: 'chart', id: 'forecaster-mae' });
  const coverageEl = h('div', { class: 'chart small', id: 'forecaster-coverage' });
  main.append(h('section', { class: 'card' },
    h('h2', {}, 'Live accuracy against validation'),
    h('p', {}, h('label', { for: 'accuracy-bucket' }, 'Bucket by target date '), picker, ' ', download),
    accuracy.models.length ? null : h('p', { class: 'muted' }, 'No forecast recorded yet: forecasts served through this forecaster are recorded, and scored as their targets arrive.'),
    maeEl, coverageEl,
    h('p', { class: 'muted' }, accuracy.maseScale)));
  const lines = [], coverage = [];
  for (const m of accuracy.models) {
    const label = `${short(m.modelId)} ${m.target}`;
    const at = b => b.start;
    lines.push({ name: `live MAE · ${label}`, points: m.buckets.map(b => [at(b), b.live.mae]) });
    if (m.validation?.mae !== undefined) lines.push({ name: `validation MAE · ${label}`, dashed: true, points: m.buckets.map(b => [at(b), m.validation.mae]) });
    for (const level of ['80', '95']) {
      coverage.push({ name: `live ${level}% coverage · ${label}`, points: m.buckets.filter(b => b.live.coverage?.[level] !== undefined).map(b => [at(b), b.live.coverage[level]]) });
      if (m.validation?.coverage?.[level] !== undefined)
        coverage.push({ name: `validation ${level}% coverage · ${label}`, dashed: true, points: m.buckets.map(b => [at(b), m.validation.coverage[level]]) });
    }
  }
  lineChart(maeEl, 'forecaster-mae', { lines, yName: 'MAE', description:
    `Live MAE of the forecasts served, per ${bucket} of their target dates, beside each model's validation MAE (dashed). Arrow keys pan, + and - zoom.` });
  lineChart(coverageEl, 'forecaster-coverage', { lines: coverage, yName: 'coverage', description:
    `Share of actuals inside the 80% and 95% intervals served, per ${bucket}, beside validation (dashed).` });

  // Per horizon step: live beside validation.
  main.append(h('section', { class: 'card' }, h('h2', { id: 'per-step' }, 'Per horizon step'),
    accuracy.models.map(m => h('table', { 'aria-labelledby': 'per-step', 'data-steps': m.modelId },
      h('caption', {}, `Model ${m.modelId}, ${m.target}: ${m.scored} of ${m.recorded} recorded forecasts scored; live MAE ${fmt(m.live.mae)} (validation ${fmt(m.validation?.mae)}), MASE ${fmt(m.live.mase)} (${fmt(m.validation?.mase)}), bias ${fmt(m.live.bias)} (${fmt(m.validation?.bias)})`),
      h('thead', {}, h('tr', {}, ['Step', 'Scored', 'Live MAE', 'Validation MAE', 'Live bias', 'Live 80% coverage', 'Live 95% coverage', 'Live 95% interval score'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, m.perStep.map(s => h('tr', {},
        h('td', { class: 'num' }, s.step), h('td', { class: 'num' }, s.live.count), h('td', { class: 'num' }, fmt(s.live.mae)),
        h('td', { class: 'num' }, fmt(s.validation?.mae)), h('td', { class: 'num' }, fmt(s.live.bias)),
        h('td', { class: 'num' }, fmt(s.live.coverage?.['80'])), h('td', { class: 'num' }, fmt(s.live.coverage?.['95'])),
        h('td', { class: 'num' }, fmt(s.live.intervalScore?.['95'])))))))));

  main.append(h('section', { class: 'card' }, h('h2', { id: 'drift-events' }, 'Drift events'),
    events.length ? h('table', { 'aria-labelledby': 'drift-events', 'data-events': name },
      h('thead', {}, h('tr', {}, ['At', 'Model', 'Rule', 'Statistic', 'Threshold', 'On drift', 'Retraining'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, events.map(e => h('tr', { 'data-event': e.id },
        h('td', {}, when(e.at)), h('td', {}, h('a', { href: `#/models/${e.modelId}` }, short(e.modelId))), h('td', {}, `${e.rule} (window ${e.window})`),
        h('td', { class: 'num' }, fmt(e.statistic)), h('td', { class: 'num' }, fmt(e.threshold)), h('td', {}, e.onDrift),
        h('td', {}, e.retrainRunId ? h('a', { href: `#/runs/${e.retrainRunId}` }, 'training run') : e.retrainError ?? '—')))))
      : h('p', { class: 'muted' }, drift ? 'No drift event: the rule has not fired.' : 'No drift rule (PUT /api/forecasters/{name}/drift).')));

  // Observations flagged on arrival (appends with check=<forecaster>), newest first.
  main.append(h('section', { class: 'card' }, h('h2', { id: 'arrival-anomalies' }, 'Anomalies on arrival'),
    anomalies.length ? h('table', { 'aria-labelledby': 'arrival-anomalies', 'data-anomalies': name },
      h('thead', {}, h('tr', {}, ['Series', 'Target', 'Time', 'Actual', 'Forecast', 'Lower', 'Upper', 'Level %', 'Score', 'Model'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, anomalies.map(a => h('tr', { 'data-anomaly': a.id },
        h('td', {}, a.series), h('td', {}, a.target), h('td', {}, String(a.timestamp)),
        ...[a.actual, a.mean, a.lower, a.upper, a.level, a.score].map(v => h('td', { class: 'num' }, fmt(v))),
        h('td', {}, h('a', { href: `#/models/${a.modelId}` }, short(a.modelId)))))))
      : h('p', { class: 'muted' }, `None flagged. Appends checked by this forecaster (POST /api/datasets/{id}/observations?check=${name}) record what its model flags.`)));
}
