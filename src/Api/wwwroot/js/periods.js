// A run's split as shaded periods [{ name, from, to }] on one series (dates as given, fractions resolved).
export function periodsOf(split, series, frequency) {
  if (!split || !series) return [];
  if (split.train !== undefined && split.train !== null) {
    const n = series.length, train = Math.floor(n * split.train), valid = Math.floor(n * (split.valid ?? 0));
    const at = i => frequency === 'steps' ? Number(series.start) + i : addDays(series.start, i, frequency);
    const out = [{ name: 'train', from: at(0), to: at(train - 1) }];
    if (valid > 0) out.push({ name: 'validation', from: at(train), to: at(train + valid - 1) });
    if (train + valid < n) out.push({ name: 'test', from: at(train + valid), to: at(n - 1) });
    return out;
  }
  const clip = v => v ?? null;
  const out = [{ name: 'train', from: split.trainFrom ?? series.start, to: split.trainTo ?? series.end }];
  if (split.validFrom) out.push({ name: 'validation', from: split.validFrom, to: clip(split.validTo) ?? dayBefore(split.testFrom) ?? series.end });
  if (split.testFrom) out.push({ name: 'test', from: split.testFrom, to: split.testTo ?? series.end });
  return out.map(p => frequency === 'steps' ? { ...p, from: Number(p.from), to: Number(p.to) } : p);
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
