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
    const chartEl = h('div', { class: 'chart small', id: `schedule-${s.id}` });
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
      h('table', {}, h('thead', {}, h('tr', {}, ['Queued', 'Status', 'Valid MAE', 'Model'].map(t => h('th', {}, t)))),
        h('tbody', {}, runs.slice().reverse().map(r => h('tr', {}, h('td', {}, when(r.createdAt)), h('td', { class: `status ${r.status}` }, r.status),
          h('td', { class: 'num' }, fmt(r.progress.validMae)),
          h('td', {}, r.modelId ? h('a', { href: `#/models/${r.modelId}` }, r.modelId === s.activeModelId ? 'active' : 'model') : '—'))))),
      chartEl));
    const points = runs.filter(r => r.progress.validMae !== null).map(r => [r.createdAt, r.progress.validMae]);
    lineChart(chartEl, `schedule-${s.id}`, { lines: [{ name: 'validation MAE of each run', points }],
      description: `Validation MAE of the schedule's last ${points.length} runs over time.` });
  }
}
