// Same-origin calls to the REST API with the session cookie and Django's CSRF token.

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : '';
}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

// Every API error has one shape: {error: {code, message, details}}; the message is a sentence.
export function detailOf(body) {
  if (!body || typeof body !== 'object') return '';
  if (body.error && typeof body.error.message === 'string') return body.error.message;
  return '';
}

export async function api(url, { method = 'GET', json, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRFToken'] = csrfToken();
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  } catch (error) {
    throw new ApiError(0, 'No connection. Check your network and try again.', null);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, detailOf(data) || `Something went wrong (${response.status}).`, data);
  }
  return data;
}
