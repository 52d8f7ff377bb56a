// Datasets: the list, drag-and-drop upload (errors beside the field or the file line at fault), and one
// dataset's series as a zoomable chart with a chosen run's train/validation/test periods shaded.
import { api, query, ApiError } from '../api.js';
import { h, fmt, when, field, showFieldErrors, clearFieldErrors, toast } from '../ui.js';
import { lineChart } from '../charts.js';
import { periodsOf } from '../periods.js';

export async function list(main) {
  main.append(h('h1', {}, 'Datasets'));
  const table = h('tbody');
  main.append(h('section', { class: 'card' },
    h('h2', {}, 'Uploaded'),
    h('table', { 'aria-label': 'Datasets' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Frequency'), h('th', { class: 'num' }, 'Rows'),
        h('th', {}, 'Columns'), h('th', {}, 'Series'), h('th', {}, 'Uploaded'))),
      table)));
  main.append(uploadForm());
  const items = await api.get('/api/datasets?take=200');
  if (!items.length) table.append(h('tr', {}, h('td', { colspan: 6 }, 'No dataset yet: drop a CSV file below.')));
  for (const d of items) table.append(h('tr', {},
    h('td', {}, h('a', { href: `#/datasets/${d.id}` }, d.name)), h('td', {}, d.frequency), h('td', { class: 'num' }, fmt(d.rows)),
    h('td', {}, d.columns.map(c => c.name).join(', ')), h('td', {}, d.series.length), h('td', {}, when(d.createdAt))));
}

function uploadForm() {
  const fileInput = h('input', { type: 'file', id: 'upload-file', accept: '.csv,text/csv', 'data-field': 'file', 'aria-describedby': 'upload-file-error' });
  const name = h('input', { type: 'text', 'data-field': 'name', placeholder: 'from the file name' });
  const timeColumn = h('input', { type: 'text', 'data-field': 'timeColumn', placeholder: 'ds, or the first column' });
  const seriesColumn = h('input', { type: 'text', 'data-field': 'seriesColumn', placeholder: 'unique_id, or none' });
  const frequency = h('select', { 'data-field': 'frequency' }, ['', 'D', 'H', 'W', 'M', 'steps'].map(f => h('option', { value: f }, f || 'infer')));
  const columnNames = h('input', { type: 'text', 'data-field': 'columnNames', placeholder: 'date,day_type,bus,rail,total' });
  const dropColumns = h('input', { type: 'text', 'data-field': 'dropColumns', placeholder: 'total' });
  const fillPolicy = h('select', { 'data-field': 'fillPolicy' }, ['', 'ffill', 'interpolate', 'zero'].map(f => h('option', { value: f }, f || 'none (gaps are errors)')));
  const drop = h('div', { class: 'drop', id: 'drop-zone' }, 'Drop a CSV file here, or choose one: ', fileInput);
  const preview = h('div', { id: 'upload-preview' });
  const otherErrors = h('div', { class: 'errors', role: 'alert', id: 'upload-errors' });
  const submit = h('button', { type: 'submit' }, 'Upload');
  let file = null;
  const choose = f => { file = f; drop.firstChild.textContent = `Selected: ${f.name} (${f.size.toLocaleString('en-US')} bytes). Drop another to replace it, or choose: `; };
  fileInput.addEventListener('change', () => fileInput.files[0] && choose(fileInput.files[0]));
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over'); if (e.dataTransfer.files[0]) choose(e.dataTransfer.files[0]); });

  const form = h('form', { class: 'card', id: 'upload-form', 'aria-labelledby': 'upload-title', novalidate: true },
    h('h2', { id: 'upload-title' }, 'Upload a CSV'),
    h('p', { class: 'muted' }, 'A long table with unique_id, ds (and y, …) columns is read as a panel as it is; name the series and time columns for other layouts.'),
    h('div', { class: 'field' }, h('label', { for: 'upload-file' }, 'CSV file'), drop,
      h('p', { class: 'field-error', id: 'upload-file-error', hidden: true })),
    h('div', { class: 'grid' },
      field('Name', 'upload-name', name), field('Series column (panels)', 'upload-series', seriesColumn), field('Time column', 'upload-time', timeColumn),
      field('Frequency', 'upload-frequency', frequency),
      field('Column names (all, in file order)', 'upload-column-names', columnNames), field('Drop columns', 'upload-drop-columns', dropColumns),
      field('Fill gaps', 'upload-fill', fillPolicy)),
    h('div', { class: 'row' }, submit), otherErrors, preview);

  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(form);
    otherErrors.replaceChildren();
    preview.replaceChildren();
    const body = new FormData();
    if (file) body.append('file', file, file.name);
    for (const [key, input] of Object.entries({ name, seriesColumn, timeColumn, frequency, columnNames, dropColumns, fillPolicy }))
      if (input.value.trim()) body.append(key, input.value.trim());
    submit.disabled = true;
    try {
      const dataset = await api.postForm('/api/datasets', body);
      toast(`Uploaded ${dataset.name}: ${dataset.rows} rows.`);
      location.hash = `#/datasets/${dataset.id}`;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const rest = showFieldErrors(form, err.errors);
      otherErrors.append(h('p', {}, err.problem.title ?? err.message));
      if (file) await showLineErrors(preview, file, rest);
      const shown = preview.querySelectorAll('.line-error').length;
      for (const [key, messages] of Object.entries(rest))
        if (!/^line \d+/.test(key) || !shown) otherErrors.append(h('p', { class: 'field-error' }, `${key}: ${messages.join(' ')}`));
      offerFix(otherErrors, err.errors, { seriesColumn, timeColumn }, () => form.requestSubmit());
    } finally { submit.disabled = false; }
  });
  return form;
}

/** The column fields the server's messages suggest ("pass seriesColumn=unique_id and timeColumn=ds"), as one button that fills them in and uploads again. */
function offerFix(container, errors, inputs, resubmit) {
  const text = Object.values(errors ?? {}).flat().join(' ');
  const fix = {};
  for (const key of Object.keys(inputs)) {
    const m = new RegExp(`${key}=([^\\s;,]+)`).exec(text);
    if (m) fix[key] = m[1].replace(/\.$/, '');
  }
  if (!Object.keys(fix).length) return;
  const button = h('button', { type: 'button', id: 'upload-apply-fix' },
    `Upload again with ${Object.entries(fix).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  button.addEventListener('click', () => {
    for (const [key, value] of Object.entries(fix)) inputs[key].value = value;
    resubmit();
  });
  container.append(h('p', {}, button));
}

/** Errors named "line N, column C": the file's lines around N, the faulty line marked and the message beside it. */
async function showLineErrors(container, file, errors) {
  const byLine = new Map();
  for (const [key, messages] of Object.entries(errors)) {
    const m = /^line (\d+)(?:, column (.+))?/.exec(key);
    if (m) byLine.set(Number(m[1]), `${m[2] ? `column ${m[2]}: ` : ''}${messages.join(' ')}`);
  }
  if (!byLine.size) return;
  const lines = (await file.slice(0, 20_000_000).text()).split(/\r?\n/);
  const rows = [];
  for (const [n, message] of [...byLine].sort((a, b) => a[0] - b[0]).slice(0, 10)) {
    for (let i = Math.max(1, n - 2); i <= Math.min(lines.length, n + 1); i++) {
      if (rows.some(r => r.n === i)) continue;
      rows.push({ n: i, text: lines[i - 1], message: i === n ? message : null });
    }
  }
  rows.sort((a, b) => a.n - b.n);
  container.append(h('h3', {}, 'Where the file is at fault'), h('div', { class: 'preview', role: 'alert' },
    rows.map(r => h('div', { class: r.message ? 'bad' : '', 'data-line': r.n },
      `${String(r.n).padStart(5)} │ ${r.text}`, r.message ? h('span', { class: 'line-error' }, `  ← line ${r.n}: ${r.message}`) : null))));
}

export async function detail(main, { id, params }) {
  const [dataset, runs] = await Promise.all([api.get(`/api/datasets/${id}`), api.get(`/api/training-runs${query({ take: 200 })}`)]);
  const datasetRuns = runs.filter(r => r.datasetId === id);
  const numeric = dataset.columns.filter(c => c.kind === 'numeric').map(c => c.name);
  main.append(h('h1', {}, `Dataset ${dataset.name}`),
    h('p', { class: 'muted' }, `${fmt(dataset.rows)} rows, frequency ${dataset.frequency}, ${dataset.series.length} series; `,
      `${dataset.duplicatesDropped} duplicate rows dropped. `, h('a', { href: `#/runs?dataset=${id}` }, 'Train a model on it')));

  const seriesSelect = h('select', {}, dataset.series.map(s => h('option', { value: s.id }, `${s.id} (${s.start} … ${s.end}, ${s.length} points)`)));
  const runSelect = h('select', {}, h('option', { value: '' }, 'none'),
    datasetRuns.map(r => h('option', { value: r.id }, `${r.request.model.kind} · ${r.status} · ${when(r.createdAt)}`)));
  if (params.get('run')) runSelect.value = params.get('run');
  const columnChecks = h('fieldset', { class: 'checks' }, h('legend', {}, 'Columns'),
    numeric.map((c, i) => h('span', {}, h('input', { type: 'checkbox', id: `col-${c}`, value: c, checked: i < 2 }), ' ', h('label', { for: `col-${c}` }, c))));
  const chartEl = h('div', { class: 'chart', id: 'dataset-chart' });
  main.append(h('section', { class: 'card' },
    h('div', { class: 'row' }, field('Series', 'dataset-series', seriesSelect), field('Shade the periods of run', 'dataset-run', runSelect)),
    columnChecks,
    h('p', { class: 'muted' }, 'Scroll or pinch to zoom, drag to pan; with the chart focused: arrow keys pan, + and - zoom, 0 resets.'),
    chartEl));
  main.append(h('section', { class: 'card' }, h('h2', {}, 'Columns'), h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Kind'), h('th', {}, 'Categories'))),
    h('tbody', {}, dataset.columns.map(c => h('tr', {}, h('td', {}, c.name), h('td', {}, c.kind), h('td', {}, (c.categories ?? []).join(', '))))))));

  const draw = async () => {
    const columns = [...columnChecks.querySelectorAll('input:checked')].map(i => i.value);
    const seriesId = seriesSelect.value;
    const data = columns.length
      ? await api.get(`/api/datasets/${id}/data${query({ series: seriesId, columns: columns.join(',') })}`)
      : { series: [{ timestamps: [], columns: {} }] };
    const s = data.series[0];
    const xType = dataset.frequency === 'steps' ? 'value' : 'time';
    const run = datasetRuns.find(r => r.id === runSelect.value);
    const summary = dataset.series.find(x => x.id === seriesId);
    const chosen = run?.request.series?.length ? new Set(run.request.series) : null;
    const panel = dataset.series.map(x => x.id).filter(x => !chosen || chosen.has(x));
    const areas = run ? periodsOf(run.request.split, summary, dataset.frequency, panel) : [];
    lineChart(chartEl, 'dataset', {
      xType, areas,
      lines: columns.map(c => ({ name: c, points: s.timestamps.map((t, i) => [t, s.columns[c][i]]) })),
      description: `Series ${seriesId} of ${dataset.name}: ${columns.join(', ')} over ${s.timestamps.length} time steps` +
        (areas.length ? `, with the ${areas.map(a => a.name).join(', ')} periods of the chosen run shaded.` : '.'),
    });
  };
  for (const control of [seriesSelect, runSelect, columnChecks]) control.addEventListener('change', draw);
  await draw();
}
