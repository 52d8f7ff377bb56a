// Training runs: the list with live status, the queue form (model kinds' fields and defaults), and one run's
// live progress (polled every second) with its learning curves and a cancel button.
import { api, query, ApiError } from '../api.js';
import { h, fmt, when, field, showFieldErrors, clearFieldErrors, toast, isFinished } from '../ui.js';
import { learningCurves } from '../charts.js';
import { trainingFields, modelField, readField } from '../model-kinds.js';

const POLL_MS = 1000;

export async function list(main, { params, onLeave }) {
  main.append(h('h1', {}, 'Training runs'));
  const [datasets, kinds] = await Promise.all([api.get('/api/datasets?take=200'), api.get('/api/model-kinds')]);
  main.append(queueForm(datasets, kinds, params.get('dataset')));
  const body = h('tbody', { id: 'runs-body' });
  main.append(h('section', { class: 'card' }, h('h2', {}, 'Runs'), h('table', { 'aria-label': 'Training runs' },
    h('thead', {}, h('tr', {}, ['Model', 'Dataset', 'Status', 'Progress', 'Train loss', 'Validation MAE (model)', 'Queued', ''].map(t => h('th', {}, t)))), body)));
  const names = Object.fromEntries(datasets.map(d => [d.id, d.name]));
  const refresh = async () => {
    const runs = await api.get('/api/training-runs?take=100');
    body.replaceChildren(...runs.map(r => h('tr', { 'data-run': r.id },
      h('td', {}, h('a', { href: `#/runs/${r.id}` }, r.request.model.kind)), h('td', {}, names[r.datasetId] ?? r.datasetId),
      h('td', { class: `status ${r.status}` }, r.status), h('td', {}, progressText(r)),
      h('td', { class: 'num' }, fmt(r.progress.trainLoss)), h('td', { class: 'num' }, r.status === 'succeeded' ? fmt(r.progress.validMae) : '—'),
      h('td', {}, when(r.createdAt)), h('td', {}, isFinished(r.status) ? '' : cancelButton(r, refresh)))));
    if (!runs.length) body.append(h('tr', {}, h('td', { colspan: 8 }, 'No run yet.')));
    return runs;
  };
  const runs = await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), runs.some(r => !isFinished(r.status)) ? POLL_MS : POLL_MS * 3);
  onLeave(() => clearInterval(timer));
}

const progressText = r => (r.progress.epochs ? `${r.progress.epoch} / ${r.progress.epochs}` : '—') +
  (r.progress.secondsLeft != null ? ` · ${timeLeft(r.progress.secondsLeft)}` : '');

// "epoch 3 of 20", or for a statistical run "fit 37 of 600 (12 of 200 series)"; the total is known once it starts.
const stepsText = p => !p.epochs ? 'no step done yet'
  : p.steps === 'fits' ? `fit ${p.epoch} of ${p.epochs}` + (p.series ? ` (${p.seriesDone} of ${p.series} series)` : '')
  : `epoch ${p.epoch} of ${p.epochs}`;

// The service's estimate (mean time per step so far × steps left), rounded for reading.
const timeLeft = s => s < 90 ? `about ${s} s left` : s < 5400 ? `about ${Math.round(s / 60)} min left` : `about ${(s / 3600).toFixed(1)} h left`;

function cancelButton(run, after) {
  return h('button', { type: 'button', class: 'secondary', 'aria-label': `Cancel run ${run.id}`, onclick: async e => {
    e.target.disabled = true;
    try { await api.post(`/api/training-runs/${run.id}/cancel`); toast('Cancellation requested.'); await after(); }
    catch (err) { toast(err.message); e.target.disabled = false; }
  } }, 'Cancel');
}

function input(spec, prefix) {
  const attrs = { 'data-field': `${prefix}${spec.name}` };
  if (spec.type === 'boolean') return h('input', { type: 'checkbox', ...attrs, checked: spec.value || undefined });
  if (spec.type === 'choice') { const s = h('select', attrs, spec.choices.map(c => h('option', { value: c }, c))); s.value = spec.value; return s; }
  return h('input', { type: 'text', inputmode: spec.type === 'integers' ? 'text' : 'decimal', value: spec.value, ...attrs });
}

function queueForm(datasets, kinds, preselected) {
  const form = h('form', { class: 'card', id: 'queue-form', novalidate: true, 'aria-labelledby': 'queue-title' }, h('h2', { id: 'queue-title' }, 'Queue a run'));
  if (!datasets.length) { form.append(h('p', {}, 'Upload a dataset first: ', h('a', { href: '#/datasets' }, 'Datasets'), '.')); return form; }
  const dataset = h('select', { 'data-field': 'datasetId' }, datasets.map(d => h('option', { value: d.id }, d.name)));
  if (preselected) dataset.value = preselected;
  const targets = h('fieldset', { class: 'checks', 'data-field': 'targets', id: 'run-targets' });
  const kind = h('select', { 'data-field': 'model.kind' }, kinds.map(k => h('option', { value: k.name }, k.name)));
  const kindNamed = name => kinds.find(k => k.name === name);
  const horizon = h('input', { type: 'text', inputmode: 'numeric', value: '1', 'data-field': 'horizon' });
  const windowLength = h('input', { type: 'text', inputmode: 'numeric', value: '56', 'data-field': 'windowLength' });
  const strategy = h('select', { 'data-field': 'strategy' });
  const split = Object.fromEntries(['trainFrom', 'trainTo', 'validFrom', 'validTo', 'testFrom', 'testTo']
    .map(n => [n, h('input', { type: 'text', 'data-field': `split.${n}`, placeholder: n === 'trainFrom' ? 'series start' : '' })]));
  // Standard scaling is per series unless the whole panel is asked for (scaling.per, docs/api.md).
  const scaling = h('select', { 'data-field': 'scaling' }, [['', 'none'], ['standard', 'standard (each series)'], ['standard-panel', 'standard (whole panel)'], ['divide', 'divide']]
    .map(([value, label]) => h('option', { value }, label)));
  const scaleBy = h('input', { type: 'text', inputmode: 'decimal', 'data-field': 'scaling.by', placeholder: 'for divide, e.g. 1000000' });
  const modelFields = h('div', { class: 'grid' });
  const neuralFields = h('fieldset', {}, h('legend', {}, 'Neural settings'));
  // Kinds that fit each series on their own: what a series they cannot fit gets (docs/api.md, per-series outcomes).
  const fallback = h('select', { 'data-field': 'fallback' },
    [['seasonal_naive', 'seasonal naive (default)'], ['naive', 'naive'], ['none', 'none: skip the series']].map(([v, label]) => h('option', { value: v }, label)));
  const perSeriesFields = h('fieldset', {}, h('legend', {}, 'Series the kind cannot fit'),
    h('div', { class: 'grid' }, field('Fallback', 'run-fallback', fallback, 'too short, constant, or a failed fit')));
  // Kinds that fit each series on their own may fit it on transformed values, forecasts back in data units (docs/api.md, Transforms).
  const transforms = { 'boxcox-auto': { kind: 'boxcox', lambda: 'auto' }, log: { kind: 'boxcox', lambda: 0 }, log1p: { kind: 'log1p' } };
  const transform = h('select', { 'data-field': 'transform' },
    [['', 'none'], ['boxcox-auto', 'Box-Cox, λ by Guerrero (auto)'], ['log', 'log (Box-Cox λ = 0)'], ['log1p', 'log1p (counts with zeros)']].map(([v, label]) => h('option', { value: v }, label)));
  const transformFields = h('fieldset', {}, h('legend', {}, 'Transform'),
    h('div', { class: 'grid' }, field('Transform', 'run-transform', transform, 'fitted on transformed values; forecasts in data units')));
  // Kinds that read known-future covariates: the dataset's columns, and generated calendar and holiday columns (docs/covariates.md).
  const knownFuture = h('fieldset', { class: 'checks', 'data-field': 'knownFuture', id: 'run-known-future' });
  const calendar = h('fieldset', { class: 'checks', 'data-field': 'calendar', id: 'run-calendar' }, h('legend', {}, 'Calendar features'),
    ['dayOfWeek', 'dayOfMonth', 'dayOfYear', 'weekOfYear', 'month', 'quarter', 'hour'].map(f => h('span', {},
      h('input', { type: 'checkbox', id: `calendar-${f}`, value: f }), ' ', h('label', { for: `calendar-${f}` }, f))),
    h('p', { class: 'field-error', id: 'run-calendar-error', hidden: true }));
  const holidays = h('input', { type: 'text', 'data-field': 'holidays', placeholder: 'e.g. US', maxlength: 2 });
  const covariateFields = h('fieldset', {}, h('legend', {}, 'Known-future covariates'), knownFuture, calendar,
    h('div', { class: 'grid' }, field('Holidays (country)', 'run-holidays', holidays, 'public holidays as flags and days to/from the nearest')));
  // Every kind: the values a target can take; points, intervals and metrics are clipped to them (docs/api.md, Bounds).
  const lower = h('input', { type: 'text', inputmode: 'decimal', 'data-field': 'bounds', placeholder: 'e.g. 0 for counts' });
  const upper = h('input', { type: 'text', inputmode: 'decimal', 'data-field': 'bounds.upper' });
  const boundsFields = h('fieldset', {}, h('legend', {}, 'Bounds'),
    h('div', { class: 'grid' }, field('Lower', 'run-bounds-lower', lower), field('Upper', 'run-bounds-upper', upper)));
  const otherErrors = h('div', { class: 'errors', role: 'alert', id: 'queue-errors' });
  const submit = h('button', { type: 'submit' }, 'Queue run');
  const trainingInputs = trainingFields.map(spec => ({ spec, el: input(spec, 'training.') }));
  let modelInputs = [];

  const fillTargets = () => {
    const d = datasets.find(x => x.id === dataset.value);
    const numeric = d.columns.filter(c => c.kind === 'numeric');
    const split0 = d.series[0];
    targets.replaceChildren(h('legend', {}, 'Targets'), ...numeric.map((c, i) => h('span', {},
      h('input', { type: 'checkbox', id: `target-${c.name}`, value: c.name, checked: i === 0 || undefined }), ' ', h('label', { for: `target-${c.name}` }, c.name))),
      h('p', { class: 'field-error', id: 'run-targets-error', hidden: true }));
    split.trainFrom.placeholder = split0 ? String(split0.start) : '';
    knownFuture.replaceChildren(h('legend', {}, 'Columns known in advance'), ...d.columns.map(c => h('span', {},
      h('input', { type: 'checkbox', id: `known-${c.name}`, value: c.name }), ' ', h('label', { for: `known-${c.name}` }, c.name))),
      h('p', { class: 'field-error', id: 'run-known-future-error', hidden: true }));
  };
  const fillModel = () => {
    const k = kindNamed(kind.value);
    modelInputs = k.fields.map(modelField).map(spec => ({ spec, el: input(spec, 'model.') }));
    modelFields.replaceChildren(...modelInputs.map(({ spec, el }) => field(spec.label, `model-${spec.name}`, el, spec.hint)));
    neuralFields.hidden = k.family !== 'neural';
    perSeriesFields.hidden = !k.perSeriesFits;
    transformFields.hidden = !k.perSeriesFits;
    covariateFields.hidden = !k.knownFuture;
    // The kind's strategies, its usual one first; a choice the new kind also supports is kept.
    const chosen = strategy.value;
    strategy.replaceChildren(...k.strategies.map(s => h('option', { value: s }, s)));
    if (k.strategies.includes(chosen)) strategy.value = chosen;
  };
  dataset.addEventListener('change', fillTargets);
  kind.addEventListener('change', fillModel);

  form.append(
    h('div', { class: 'grid' }, field('Dataset', 'run-dataset', dataset), field('Model kind', 'run-kind', kind),
      field('Horizon', 'run-horizon', horizon), field('Strategy', 'run-strategy', strategy)),
    targets,
    h('fieldset', {}, h('legend', {}, 'Split (dates or step numbers; only the training period is required)'),
      h('div', { class: 'grid' }, Object.entries(split).map(([n, el]) => field(n, `split-${n}`, el)))),
    h('fieldset', {}, h('legend', {}, 'Model'), modelFields),
    perSeriesFields,
    transformFields,
    covariateFields,
    boundsFields,
    neuralFields);
  neuralFields.append(h('div', { class: 'grid' },
    field('Window length', 'run-window', windowLength), field('Scaling', 'run-scaling', scaling), field('Scale by', 'run-scale-by', scaleBy),
    trainingInputs.map(({ spec, el }) => field(spec.label, `training-${spec.name}`, el, spec.hint))));
  form.append(h('div', { class: 'row' }, submit), otherErrors);
  fillTargets();
  fillModel();

  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(form);
    otherErrors.replaceChildren();
    const k = kindNamed(kind.value);
    const body = {
      datasetId: dataset.value,
      targets: [...targets.querySelectorAll('input:checked')].map(i => i.value),
      horizon: horizon.value.trim() === '' ? undefined : Number(horizon.value),
      strategy: strategy.value,
      split: Object.fromEntries(Object.entries(split).map(([n, el]) => [n, el.value.trim() || undefined])),
      model: { kind: kind.value, ...Object.fromEntries(modelInputs.map(({ spec, el }) => [spec.name, readField(spec, el)])) },
    };
    if (k.perSeriesFits && fallback.value !== 'seasonal_naive') body.fallback = fallback.value;
    if (k.perSeriesFits && transform.value) body.transform = transforms[transform.value];
    if (k.knownFuture) {
      const checked = set => [...set.querySelectorAll('input:checked')].map(i => i.value);
      if (checked(knownFuture).length) body.knownFuture = checked(knownFuture);
      if (checked(calendar).length) body.calendar = checked(calendar);
      if (holidays.value.trim()) body.holidays = { country: holidays.value.trim().toUpperCase() };
    }
    const bound = el => el.value.trim() === '' ? undefined : Number(el.value);
    if (bound(lower) !== undefined || bound(upper) !== undefined) body.bounds = { lower: bound(lower), upper: bound(upper) };
    if (k.family === 'neural') {
      body.windowLength = windowLength.value.trim() === '' ? undefined : Number(windowLength.value);
      if (scaling.value === 'standard-panel') body.scaling = { kind: 'standard', per: 'panel' };
      else if (scaling.value) body.scaling = { kind: scaling.value, by: scaleBy.value.trim() ? Number(scaleBy.value) : undefined };
      body.training = Object.fromEntries(trainingInputs.map(({ spec, el }) => [spec.name, readField(spec, el)]));
    }
    submit.disabled = true;
    try {
      const queued = await api.post('/api/training-runs', body);
      toast(`Run queued (${kind.value}).`);
      location.hash = `#/runs/${queued.id}`;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const rest = showFieldErrors(form, err.errors);
      otherErrors.append(h('p', {}, err.problem.title ?? err.message),
        ...Object.entries(rest).map(([key, messages]) => h('p', { class: 'field-error' }, `${key}: ${messages.join(' ')}`)));
    } finally { submit.disabled = false; }
  });
  return form;
}

export async function detail(main, { id, onLeave }) {
  let run = await api.get(`/api/training-runs/${id}`);
  main.append(h('h1', {}, `Run ${run.request.model.kind}`));
  const status = h('span', { class: 'status', id: 'run-status' });
  const bar = h('progress', { id: 'run-progress', max: 1, value: 0, 'aria-label': 'Epochs done' });
  const numbers = h('span', { id: 'run-numbers' });
  const error = h('p', { class: 'errors', role: 'alert' });
  const actions = h('div', { class: 'row' });
  const curves = h('div', { class: 'chart small', id: 'run-curves' });
  main.append(h('section', { class: 'card', 'aria-live': 'polite' },
    h('p', {}, 'Status: ', status, ' ', bar, ' ', numbers), error, actions),
    h('section', { class: 'card' }, h('h2', {}, 'Learning curves'), curves),
    h('section', { class: 'card' }, h('h2', {}, 'Request'), h('pre', { class: 'preview' }, JSON.stringify(run.request, null, 2))));
  const live = new Map(); // epoch → progress seen while polling, until the model's full history exists

  const show = async () => {
    const p = run.progress;
    status.textContent = run.status + (run.cancelRequested && !isFinished(run.status) ? ' (cancelling)' : '');
    status.className = `status ${run.status}`;
    main.dataset.runStatus = run.status;
    bar.max = Math.max(1, p.epochs); bar.value = p.epoch;
    // The training loss is on the values the network sees (scaled when the request scales them); every MAE is in
    // the data's units. A finished run's MAE is the model's (metrics.validation.mae); while training, the epoch's.
    const scaled = run.request.scaling && run.request.scaling.kind !== 'none';
    numbers.textContent = `${stepsText(p)}${p.secondsLeft != null ? ` · ${timeLeft(p.secondsLeft)}` : ''} · queue ${run.queue}` +
      ` · training loss ${fmt(p.trainLoss)}${scaled ? ' (on the scaled data)' : ''} · ` +
      (run.status === 'succeeded' ? `validation MAE ${fmt(p.validMae)} (the model's, data units)` : `early-stopping MAE ${fmt(p.validMae)} (this epoch, data units)`);
    error.textContent = run.error ?? '';
    if (p.epoch > 0 && p.trainLoss !== null) live.set(p.epoch, { epoch: p.epoch, trainLoss: p.trainLoss, validMae: p.validMae });
    actions.replaceChildren();
    if (!isFinished(run.status)) actions.append(cancelButton(run, async () => { run = await api.get(`/api/training-runs/${id}`); await show(); }));
    let history = [...live.values()].sort((a, b) => a.epoch - b.epoch);
    if (run.modelId) {
      const model = await api.get(`/api/models/${run.modelId}`);
      history = model.history;
      actions.append(h('a', { href: `#/models/${run.modelId}` }, 'Model and metrics'), ' ',
        h('a', { href: `#/forecast?model=${run.modelId}` }, 'Forecast with it'), ' ',
        h('a', { href: `#/datasets/${run.datasetId}?run=${run.id}` }, 'See its periods on the data'));
    }
    // The per-epoch MAE is early stopping's, on the training windows whose targets lie in the validation period
    // (data units); the model's validation MAE is measured once, after training, on every target at every step.
    learningCurves(curves, 'learning-curves', history, `Training loss${scaled ? ' (scaled data)' : ''} and early-stopping MAE (data units) over ${history.length} epochs.`,
      'early-stopping MAE (data units)');
  };
  await show();
  if (isFinished(run.status)) return;
  const timer = setInterval(async () => {
    try {
      run = await api.get(`/api/training-runs/${id}`);
      await show();
      if (isFinished(run.status)) clearInterval(timer);
    } catch { /* transient: try again next tick */ }
  }, POLL_MS);
  onLeave(() => clearInterval(timer));
}
