// Charts on Apache ECharts (npm, see ClientApp). Each chart's data is published as window.__charts[id] so that
// tests (and curious users) can read what is drawn without reading pixels.
window.__charts = window.__charts ?? {};

const SAMPLE_ABOVE = 2000; // points per line above which ECharts draws an LTTB downsample
const PALETTE = ['#1f5fbf', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285'];
const PERIOD_COLORS = { train: 'rgba(31,95,191,0.08)', validation: 'rgba(230,119,0,0.12)', test: 'rgba(43,138,62,0.12)' };

const instances = new Map();

function mount(el, id, option, data, description) {
  instances.get(id)?.dispose();
  const chart = window.echarts.init(el, null, { renderer: 'canvas' });
  const started = performance.now();
  // No animation: a chart shows its data at once (and screenshots show what the data says).
  chart.setOption({ aria: { enabled: true, label: { description } }, ...option, animation: false });
  data.drawMs = performance.now() - started;
  instances.set(id, chart);
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', description);
  el.dataset.chart = id;
  window.__charts[id] = data;
  return chart;
}

window.addEventListener('resize', () => instances.forEach(c => c.resize()));

/** Disposes charts whose element left the page (route change). */
export function disposeDetached() {
  for (const [id, chart] of instances)
    if (!document.body.contains(chart.getDom())) { chart.dispose(); instances.delete(id); delete window.__charts[id]; }
}

/** Arrow keys pan, + and - zoom, 0 resets: the chart is focusable and the slider shows the window. */
function keyboardZoom(el, chart) {
  el.tabIndex = 0;
  el.addEventListener('keydown', e => {
    const zoom = chart.getOption().dataZoom?.[0];
    if (!zoom) return;
    let { start = 0, end = 100 } = zoom;
    const width = end - start, step = Math.max(1, width / 10);
    if (e.key === 'ArrowLeft') { start -= step; end -= step; }
    else if (e.key === 'ArrowRight') { start += step; end += step; }
    else if (e.key === '+' || e.key === '=') { start += width / 4; end -= width / 4; }
    else if (e.key === '-') { start -= width / 2; end += width / 2; }
    else if (e.key === '0') { start = 0; end = 100; }
    else return;
    e.preventDefault();
    if (start < 0) { end -= start; start = 0; }
    if (end > 100) { start -= end - 100; end = 100; }
    chart.dispatchAction({ type: 'dataZoom', start: Math.max(0, start), end: Math.min(100, end) });
  });
}

/**
 * A line chart over time (xType 'time') or steps ('value'): lines [{ name, points: [[x, y]] }], bands
 * [{ name, points: [[x, lower, upper]] }] drawn as shaded ranges, areas [{ name, from, to }] shading periods,
 * marks [{ name, points: [[x, y]] }] drawn as large unjoined symbols over the lines.
 */
export function lineChart(el, id, { xType = 'time', lines = [], bands = [], areas = [], marks = [], yName = '', description, zoomStart = 0 }) {
  const largest = Math.max(0, ...lines.map(l => l.points.length));
  const series = [];
  bands.forEach((band, i) => {
    const stack = `band-${i}`; // lower bound plus width; 'all' so that a band crossing zero still stacks on its lower bound
    const stackStrategy = 'all';
    const color = band.color ?? 'rgba(31,95,191,0.18)';
    series.push({ name: `${band.name} lower`, type: 'line', stack, stackStrategy, symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false },
      data: band.points.map(([x, lo]) => [x, lo]), silent: true, z: 1 });
    series.push({ name: band.name, type: 'line', stack, stackStrategy, symbol: 'none', color, lineStyle: { opacity: 0 }, areaStyle: { color },
      data: band.points.map(([x, lo, hi]) => [x, hi - lo]), silent: true, z: 1, tooltip: { show: false } });
  });
  lines.forEach((line, i) => series.push({
    name: line.name, type: 'line', symbol: line.points.length > 60 ? 'none' : 'circle', showSymbol: line.points.length <= 60,
    sampling: line.points.length > SAMPLE_ABOVE ? 'lttb' : undefined, data: line.points, z: 3,
    color: line.color ?? PALETTE[i % PALETTE.length], lineStyle: { width: 1.5, type: line.dashed ? 'dashed' : 'solid' },
  }));
  marks.forEach((mark, i) => series.push({
    name: mark.name, type: 'scatter', symbol: 'diamond', symbolSize: 14, data: mark.points, z: 4,
    color: mark.color ?? PALETTE[(lines.length + i) % PALETTE.length],
  }));
  if (areas.length && series.length) {
    const target = series.find(s => !s.stack) ?? series[0];
    target.markArea = {
      silent: true,
      label: { show: true, position: 'insideTop', color: '#555' },
      data: areas.map(a => [{ name: a.name, xAxis: a.from, itemStyle: { color: PERIOD_COLORS[a.name] ?? 'rgba(0,0,0,0.06)' } }, { xAxis: a.to }]),
    };
  }
  const option = {
    grid: { left: 70, right: 24, top: 40, bottom: 70 },
    legend: { top: 4, data: [...lines.map(l => l.name), ...bands.map(b => b.name), ...marks.map(m => m.name)] },
    tooltip: { trigger: 'axis' },
    xAxis: { type: xType, scale: xType === 'value' },
    yAxis: { type: 'value', scale: true, name: yName },
    dataZoom: [{ type: 'inside', start: zoomStart, end: 100 }, { type: 'slider', start: zoomStart, end: 100 }],
    series,
  };
  const chart = mount(el, id, option, {
    kind: 'line', xType, lines, bands, areas, marks, sampledForDisplay: largest > SAMPLE_ABOVE,
  }, description);
  keyboardZoom(el, chart);
  return chart;
}

/** Grouped bars: categories on x, series [{ name, values }]. */
export function barChart(el, id, { categories, series, xName = '', yName = '', description }) {
  return mount(el, id, {
    grid: { left: 70, right: 24, top: 40, bottom: 40 },
    legend: { top: 4 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: categories, name: xName, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', name: yName },
    series: series.map((s, i) => ({ name: s.name, type: 'bar', data: s.values, color: PALETTE[i % PALETTE.length] })),
  }, { kind: 'bar', categories, series }, description);
}

/** Training loss and validation MAE per epoch, each on its own axis. */
export function learningCurves(el, id, history, description, maeName = 'validation MAE') {
  const loss = history.map(h => [h.epoch, h.trainLoss]);
  const mae = history.filter(h => h.validMae !== null && h.validMae !== undefined).map(h => [h.epoch, h.validMae]);
  return mount(el, id, {
    grid: { left: 70, right: 70, top: 40, bottom: 40 },
    legend: { top: 4 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1, min: 1 },
    yAxis: [{ type: 'value', name: 'training loss', scale: true }, { type: 'value', name: maeName, scale: true }],
    series: [
      { name: 'training loss', type: 'line', data: loss, showSymbol: loss.length < 40, color: PALETTE[0] },
      { name: maeName, type: 'line', yAxisIndex: 1, data: mae, showSymbol: mae.length < 40, color: PALETTE[1] },
    ],
  }, { kind: 'learning-curves', trainLoss: loss, validMae: mae }, description);
}
