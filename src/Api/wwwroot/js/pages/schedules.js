// Schedules: next firing, the active model, and the promotion decisions over the schedule's recent runs.
import { api } from '../api.js';
import { h, fmt, when } from '../ui.js';
import { lineChart } from '../charts.js';

export async function list(main) {
  main.append(h('h1', {}, 'Schedules'));
  const schedules = await api.get('/api/schedules?take=200');
  if (!schedules.length) {
    main.append(h('section', { class: 'card' }, h('p', {}, 'No schedule yet. Create one with POST /api/schedules (see ', h('a', { href: 'swagger' }, 'Swagger'), ').')));
    return;
  }
  for (const summary of schedules) {
    const s = await api.get(`/api/schedules/${summary.id}`);
    const decision = s.lastDecision;
    const runs = (s.recentRuns ?? []).slice().reverse();
    // Oldest first for the chart; the table lists them newest first, as the API does.
    const decisions = (await api.get(`/api/schedules/${s.id}/decisions?take=200`)).slice().reverse();
    const chartEl = h('div', { class: 'chart small', id: `schedule-decisions-${s.id}` });
    main.append(h('section', { class: 'card', 'data-schedule': s.id },
      h('h2', {}, `${s.request.model.kind} on ${s.request.targets.join(', ')} · ${s.cron} (${s.timeZone})`),
      h('table', {}, h('tbody', {},
        h('tr', {}, h('th', {}, 'Next firing'), h('td', {}, when(s.nextFireAt))),
        h('tr', {}, h('th', {}, 'Last fired'), h('td', {}, when(s.lastFiredAt))),
        h('tr', {}, h('th', {}, 'Promotion policy'), h('td', {}, s.promote)),
        h('tr', {}, h('th', {}, 'Active model'), h('td', {}, s.activeModelId ? h('a', { href: `#/models/${s.activeModelId}` }, s.activeModelId) : 'none yet')),
        h('tr', {}, h('th', {}, 'Last decision'), h('td', {}, decision
          ? `${decision.promoted ? 'promoted' : 'kept the active model'} on ${when(decision.decidedAt)}: ${decision.reason}` : '—')))),
      h('h3', {}, 'Recent runs'),
      h('table', {}, h('thead', {}, h('tr', {}, ['Queued', 'Status', 'Validation MAE (model, data units)', 'Model'].map(t => h('th', {}, t)))),
        h('tbody', {}, runs.slice().reverse().map(r => h('tr', {}, h('td', {}, when(r.createdAt)), h('td', { class: `status ${r.status}` }, r.status),
          // A succeeded run's figure is its model's, the one its decision compared; a running one has none yet.
          h('td', { class: 'num' }, r.status === 'succeeded' ? fmt(r.progress.validMae) : '—'),
          h('td', {}, r.modelId ? h('a', { href: `#/models/${r.modelId}` }, r.modelId === s.activeModelId ? 'active' : 'model') : '—'))))),
      h('h3', { id: `decisions-${s.id}` }, 'Promotion decisions over time'),
      chartEl,
      h('table', { 'aria-labelledby': `decisions-${s.id}`, 'data-decisions': s.id },
        h('thead', {}, h('tr', {}, ['Decided', 'Outcome', 'New validation MAE', 'Active model\'s MAE', 'Reason'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, decisions.slice().reverse().map(d => h('tr', {},
          h('td', {}, when(d.decidedAt)),
          h('td', {}, h('a', { href: `#/models/${d.modelId}` }, d.promoted ? 'promoted' : 'not promoted')),
          h('td', { class: 'num' }, fmt(d.validMae)), h('td', { class: 'num' }, fmt(d.previousValidMae)),
          h('td', {}, d.reason)))))));
    const scored = decisions.filter(d => d.validMae !== null && d.validMae !== undefined);
    const promoted = scored.filter(d => d.promoted);
    lineChart(chartEl, `schedule-decisions-${s.id}`, {
      lines: [{ name: 'validation MAE of each scheduled run', points: scored.map(d => [d.decidedAt, d.validMae]) }],
      marks: [{ name: 'promoted', points: promoted.map(d => [d.decidedAt, d.validMae]), color: '#2b8a3e' }],
      yName: 'validation MAE',
      description: `Validation MAE of the schedule's ${scored.length} decided runs over time; ${promoted.length} promoted, marked with diamonds. ` +
        'The table below lists each decision and its reason. Arrow keys pan, + and - zoom.' });
  }
}
