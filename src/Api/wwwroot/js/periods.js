// A run's split as shaded periods [{ name, from, to }] on one series (dates as given, fractions resolved as the
// server's SplitResolver does). panel: the ids of the run's series in dataset order (needed for split.by 'series').
export function periodsOf(split, series, frequency, panel = []) {
  if (!split || !series) return [];
  const at = i => frequency === 'steps' ? Number(series.start) + i : addDays(series.start, i, frequency);
  if (split.train !== undefined && split.train !== null) {
    const valid = split.valid ?? 0;
    if (split.by === 'series') {
      // Whole series: the first train share of the run's series trains, the next valid share validates, the rest test.
      const index = panel.indexOf(series.id), count = panel.length;
      if (index < 0) return [];
      const trainCount = roundHalfEven(count * split.train), validCount = Math.min(count - trainCount, roundHalfEven(count * valid));
      const name = index < trainCount ? 'train' : index < trainCount + validCount ? 'validation' : 'test';
      return [{ name, from: at(0), to: at(series.length - 1) }];
    }
    // Each series in time: its first train share trains, the next valid share validates, the rest tests.
    const n = series.length, trainEnd = roundHalfEven(n * split.train), validEnd = Math.min(n, roundHalfEven(n * (split.train + valid)));
    const out = [];
    if (trainEnd > 0) out.push({ name: 'train', from: at(0), to: at(trainEnd - 1) });
    if (validEnd > trainEnd) out.push({ name: 'validation', from: at(trainEnd), to: at(validEnd - 1) });
    if (validEnd < n) out.push({ name: 'test', from: at(validEnd), to: at(n - 1) });
    return out;
  }
  const clip = v => v ?? null;
  const out = [{ name: 'train', from: split.trainFrom ?? series.start, to: split.trainTo ?? series.end }];
  if (split.validFrom) out.push({ name: 'validation', from: split.validFrom, to: clip(split.validTo) ?? dayBefore(split.testFrom) ?? series.end });
  if (split.testFrom) out.push({ name: 'test', from: split.testFrom, to: split.testTo ?? series.end });
  return out.map(p => frequency === 'steps' ? { ...p, from: Number(p.from), to: Number(p.to) } : p);
}

// .NET's Math.Round (midpoint to even), which the server's fraction split uses.
function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function dayBefore(date) {
  if (!date || !/^\d{4}-\d{2}-\d{2}/.test(date)) return date ? null : null;
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function addDays(start, steps, frequency) {
  const d = new Date(/T/.test(start) ? `${start}Z`.replace('ZZ', 'Z') : `${start}T00:00:00Z`);
  if (frequency === 'H') d.setUTCHours(d.getUTCHours() + steps);
  else if (frequency === 'W') d.setUTCDate(d.getUTCDate() + 7 * steps);
  else if (frequency === 'M') d.setUTCMonth(d.getUTCMonth() + steps);
  else d.setUTCDate(d.getUTCDate() + steps);
  return frequency === 'H' ? d.toISOString().slice(0, 16) : d.toISOString().slice(0, 10);
}
