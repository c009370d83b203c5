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

// An API error as a person reads it on a form: field errors named by the field's label ("Maximum
// guests: …"), never by the API's field name ("max_uses: …").
export function formErrorText(failure, form) {
  const details = failure?.body?.error?.details;
  if (!details || typeof details !== 'object' || Array.isArray(details)) return failure.message;
  const lines = [];
  for (const [name, errors] of Object.entries(details)) {
    const text = [].concat(errors).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(' ');
    const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
    const label = field && (field.labels?.[0] || form.querySelector(`label[for="${CSS.escape(field.id)}"]`));
    const shown = label ? label.textContent.replace(/\(optional\)/, '').trim() : '';
    lines.push(name === 'non_field_errors' || !shown ? text : `${shown}: ${text}`);
  }
  return lines.join(' ') || failure.message;
}
