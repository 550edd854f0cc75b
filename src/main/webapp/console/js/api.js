// The console's only way to the server: the public REST API, with the session the login gave. A state-changing call
// sends the session's CSRF token (GET /api/me hands it out). Errors become ApiError with the problem's words.

export const API = '/agent-batch/api';

let me = null;

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title);
    this.status = status;
    this.title = title;
  }

  /** The message an operator reads: never a stack, never a blank page. */
  get words() {
    if (this.status === 401) return 'Your session has ended. Reload the page to sign in again.';
    if (this.status === 403) return `Not allowed: ${this.message}`;
    if (this.status === 0) return `The server did not answer: ${this.message}`;
    return `${this.title}: ${this.message}`;
  }
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && me && me.csrfToken) headers['X-CSRF-Token'] = me.csrfToken;
  let response;
  try {
    response = await fetch(API + path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'Network error', e.message);
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    throw new ApiError(response.status, (json && json.title) || `HTTP ${response.status}`,
      (json && json.detail) || response.statusText);
  }
  return json;
}

export const get = (path) => call('GET', path);
export const post = (path, body = {}) => call('POST', path, body);

/** Who the session is, with roles and the CSRF token; asked once per page load. */
export async function whoAmI() {
  if (!me) me = await get('/me');
  return me;
}

export function hasRole(role) {
  return !!me && me.roles.includes(role);
}

/** Whether the user may stop, cancel or restart this task (the server's rule, AccessPolicy, decides in the end). */
export function mayControl(task) {
  return hasRole('agent-operator') || (hasRole('agent-submitter') && !!me && task.submittedBy === me.user);
}

/** Whether the user may act in bulk at all (each task is still checked by the server). */
export function mayBulk() {
  return hasRole('agent-operator') || hasRole('agent-submitter');
}
