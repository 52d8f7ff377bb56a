// The public HTTP API, as any client calls it. An API key saved in the browser goes as X-Api-Key.
const KEY = 'forecasting.apiKey';

// The same key as a cookie that the server reads only for GETs under /hangfire (the read-only jobs dashboard, opened
// by following a link, which cannot carry a header); SameSite=Strict, never sent to /api.
function setDashboardCookie(value) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = value
    ? `forecasting_key=${encodeURIComponent(value)}; Path=/hangfire; SameSite=Strict${secure}`
    : `forecasting_key=; Path=/hangfire; SameSite=Strict; Max-Age=0${secure}`;
}

export const apiKey = {
  get: () => localStorage.getItem(KEY) ?? '',
  set: value => {
    if (value) localStorage.setItem(KEY, value); else localStorage.removeItem(KEY);
    setDashboardCookie(value);
  },
};
// A key saved before the cookie existed (or whose cookie expired with the session) reaches the dashboard too.
if (apiKey.get()) setDashboardCookie(apiKey.get());

/** A problem-details answer: title, detail and (for validation) errors { field: [messages] }. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.errors = problem?.errors ?? {};
  }
}

async function request(method, path, { json, form, accept } = {}) {
  const headers = {};
  const key = apiKey.get();
  if (key) headers['X-Api-Key'] = key;
  if (accept) headers.Accept = accept;
  let body;
  if (json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  if (form) body = form;
  const response = await fetch(path, { method, headers, body });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  return response;
}

const asJson = async response => response.status === 204 ? null : response.json();

export const api = {
  get: (path) => request('GET', path).then(asJson),
  post: (path, json) => request('POST', path, { json }).then(asJson),
  postForm: (path, form) => request('POST', path, { form }).then(asJson),
  delete: (path) => request('DELETE', path).then(asJson),
  /** A binary or text answer, for downloads. */
  blob: (path, accept) => request('GET', path, { accept }).then(r => r.blob()),
};

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? '?' + new URLSearchParams(entries).toString() : '';
}
