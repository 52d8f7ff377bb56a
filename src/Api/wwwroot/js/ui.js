// Small DOM helpers shared by the pages.

/** Element builder: h('td', { class: 'num' }, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child instanceof Node ? child : String(child));
  return el;
}

export const fmt = (value, digits = 3) => value === null || value === undefined || Number.isNaN(value) ? '—'
  : Math.abs(value) >= 1000 || Number.isInteger(value) ? Math.round(value).toLocaleString('en-US') : Number(value).toPrecision(digits);

export const when = iso => iso ? new Date(iso).toLocaleString() : '—';

export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.textContent = ''; }, 5000);
}

/** A labelled input inside a .field; error paragraphs are found by data-error-for. */
export function field(label, id, input, hint) {
  input.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'data-error-for': input.dataset.field ?? id, hidden: true });
  input.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('span', { class: 'muted' }, hint) : null, error);
}

/** Shows an API's validation errors next to the fields named by data-field; returns the ones no field took. */
export function showFieldErrors(form, errors) {
  clearFieldErrors(form);
  const rest = {};
  for (const [name, messages] of Object.entries(errors ?? {})) {
    const input = form.querySelector(`[data-field="${CSS.escape(name)}"]`)
      ?? form.querySelector(`[data-field="${CSS.escape(name.split(/[.[]/)[0])}"]`);
    const error = input && form.querySelector(`#${CSS.escape(input.id)}-error`);
    if (!error) { rest[name] = messages; continue; }
    input.setAttribute('aria-invalid', 'true');
    error.hidden = false;
    error.textContent = (error.textContent ? error.textContent + ' ' : '') + messages.join(' ');
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
  return rest;
}

export function clearFieldErrors(form) {
  form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error').forEach(el => { el.hidden = true; el.textContent = ''; });
}

/** Saves text or a blob as a file. */
export function saveFile(name, content, type = 'text/plain') {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const a = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

export const isFinished = status => ['succeeded', 'failed', 'cancelled'].includes(status);
