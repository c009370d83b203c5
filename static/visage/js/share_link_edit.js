// The Sharing tab's "Edit" dialog: label, expiry (with "extend by 7 days"), maximum guests, PIN,
// downloads and watermark of an existing link, sent as one PATCH of the fields that changed.
import { api, formErrorText } from './api.js';
import { toast } from './ui.js';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const dialog = document.getElementById('edit-link-dialog');
const template = dialog.querySelector('[data-role="edit-template"]');
let form = null;
let error = null;
let editing = null;

// <input type="datetime-local"> wants local wall-clock time without a zone.
function localInputValue(date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

function extendByAWeek() {
  const field = form.elements.expires_at;
  const current = field.value ? new Date(field.value) : null;
  const from = current && current > new Date() ? current : new Date();
  field.value = localInputValue(new Date(from.getTime() + WEEK_MS));
}

function changes(link) {
  const data = new FormData(form);
  const body = {};
  const label = data.get('label').trim();
  if (label !== (link.label || '')) body.label = label;
  const expires = data.get('expires_at') ? new Date(data.get('expires_at')).toISOString() : null;
  const before = link.expires_at ? localInputValue(new Date(link.expires_at)) : '';
  if ((data.get('expires_at') || '') !== before) body.expires_at = expires;
  const uses = data.get('max_uses') ? Number(data.get('max_uses')) : null;
  if (uses !== (link.max_uses ?? null)) body.max_uses = uses;
  if (data.get('remove_pin') === 'on') body.pin = '';
  else if (data.get('pin').trim()) body.pin = data.get('pin').trim();
  if (data.get('allow_download') !== link.allow_download) body.allow_download = data.get('allow_download');
  const watermark = data.get('watermark') === 'on';
  if (watermark !== link.watermark) body.watermark = watermark;
  return body;
}

async function save(event) {
  event.preventDefault();
  const { link, url, title, onSaved } = editing;
  const body = changes(link);
  if (!Object.keys(body).length) { dialog.close(); return; }
  error.hidden = true;
  try {
    await api(url, { method: 'PATCH', json: body });
    dialog.close();
    toast(`“${title}” saved`);
    await onSaved();
  } catch (failure) {
    error.textContent = formErrorText(failure, form);
    error.hidden = false;
  }
}

export function editLink({ link, url, title, onSaved }) {
  editing = { link, url, title, onSaved };
  form?.remove();
  form = template.content.firstElementChild.cloneNode(true);
  dialog.append(form);
  error = form.querySelector('[data-role="edit-error"]');
  form.addEventListener('submit', save);
  form.querySelector('[data-role="extend"]').addEventListener('click', extendByAWeek);
  form.querySelector('[data-close]').addEventListener('click', () => dialog.close());
  dialog.querySelector('[data-role="edit-title"]').textContent = `Edit “${title}”`;
  form.elements.label.value = link.label || '';
  form.elements.expires_at.value = link.expires_at ? localInputValue(new Date(link.expires_at)) : '';
  form.elements.max_uses.value = link.max_uses ?? '';
  form.elements.allow_download.value = link.allow_download;
  form.elements.watermark.checked = link.watermark;
  dialog.querySelector('[data-role="remove-pin-field"]').hidden = !link.has_pin;
  dialog.querySelector('[data-role="pin-help"]').textContent = link.has_pin
    ? 'Empty: the PIN stays as it is.' : 'Empty: no PIN.';
  dialog.showModal();
}

dialog.addEventListener('close', () => { form?.remove(); form = null; });
