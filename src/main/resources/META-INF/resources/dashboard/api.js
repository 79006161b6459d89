// Calls to the service's own API. Reads are open unless the service requires a key for them
// (timeout-policy.security.readers-require-key): then the key typed in the page is kept in
// sessionStorage, so it is gone with the tab and never written to disk or to the URL.
const KEY_NAME = 'timeout-policy.api-key';
const REQUEST_LIMIT_MS = 10000;

export function apiKey() {
  return sessionStorage.getItem(KEY_NAME);
}

export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(KEY_NAME, key);
  } else {
    sessionStorage.removeItem(KEY_NAME);
  }
}

export function headers(extra = {}) {
  const key = apiKey();
  return key ? { ...extra, 'X-API-Key': key } : extra;
}

/** A failed answer, with the problem document (RFC 9457) when the service sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** The problem as a person reads it: its title and detail, and each invalid field when it lists them. */
  get explanation() {
    const parts = [this.problem?.title, this.problem?.detail].filter(Boolean);
    const fields = (this.problem?.errors || []).map((e) => `${e.field} ${e.message}`);
    const said = [parts.join(': ') || this.message, ...fields].join('; ');
    return this.status ? `${this.status} ${said}` : said;
  }

  /** 503 history-incomplete: the replica is still reading the history window; it will be there shortly. */
  get historyLoading() {
    return this.status === 503 && String(this.problem?.type || '').endsWith(':history-incomplete');
  }
}

/**
 * GET, POST or PUT JSON (with extra headers such as If-Match); bounded in time so that a slow service cannot
 * hold a panel's only request forever.
 */
export async function call(path, { method = 'GET', body, extraHeaders = {} } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_LIMIT_MS);
  try {
    const response = await fetch(path, {
      method,
      signal: controller.signal,
      headers: headers(body === undefined ? { ...extraHeaders, Accept: 'application/json' }
        : { ...extraHeaders, Accept: 'application/json', 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new ApiError(response.status, json);
    }
    return json;
  } catch (e) {
    if (e instanceof ApiError) {
      throw e;
    }
    throw new ApiError(0, { detail: e.name === 'AbortError' ? 'no answer within 10 s' : 'the service cannot be reached' });
  } finally {
    clearTimeout(timer);
  }
}

export function environmentPath(environment, rest) {
  return `/api/v1/environments/${encodeURIComponent(environment)}/${rest}`;
}

// The environment on screen. An answer for another one, asked before the reader switched, is not drawn: the
// round that follows the switch draws the new environment instead, so the old figures never flash back.
let shown = null;

export function show(environment) {
  shown = environment;
}

export function stale(environment) {
  return environment !== shown;
}
