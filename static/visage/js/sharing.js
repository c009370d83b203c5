// The event's sharing page: create share links, list them with QR/card/revoke, manage organizers.
import { api, formErrorText } from './api.js';
import { confirmDialog, copyText, formatWhen } from './dialogs.js';
import { el, plural, toast } from './ui.js';
import { editLink } from './share_link_edit.js';

const root = document.getElementById('sharing-page');
const $ = (role, scope = document) => scope.querySelector(`[data-role="${role}"]`);
const SCOPES = { selfie: 'Selfie search', person: 'Person album', event: 'Whole gallery', photos: 'Selected photos' };
const STATES = { active: ['Active', 'badge--ok'], revoked: ['Revoked', 'badge--bad'], expired: ['Expired', 'badge--warn'], exhausted: ['All uses taken', 'badge--warn'] };
const DOWNLOADS = { originals: 'Originals', previews: 'Previews only', none: 'No downloads' };

async function loadLinks() {
  const data = await api(root.dataset.linksUrl).catch((error) => { toast(error.message, { bad: true }); return null; });
  if (!data) return;
  $('links').replaceChildren(...data.results.map(linkItem));
  $('links').setAttribute('aria-busy', 'false');
  $('links-empty').hidden = data.results.length > 0;
  $('links-count').textContent = data.count ? plural(data.count, 'link') : '';
}

function linkItem(link) {
  const item = el('li', { class: `link-item${link.state !== 'active' ? ' is-inactive' : ''}`, 'data-link-id': link.id });
  const title = link.label || SCOPES[link.scope];
  const qr = el('button', { type: 'button', class: 'link-item__qr', 'aria-label': `Show QR code of ${title}`, disabled: !link.qr_svg_url });
  if (link.qr_svg_url) qr.append(el('img', { src: link.qr_svg_url, alt: '', width: 64, height: 64, loading: 'lazy' }));
  qr.addEventListener('click', () => showQr(link, title));
  const [stateText, stateTone] = STATES[link.state] || [link.state, ''];
  const head = el('div', { class: 'link-item__head' });
  head.append(el('h3', {}, title), el('span', { class: `badge ${stateTone}` }, stateText));
  const chips = el('div', { class: 'chips' });
  for (const text of chipTexts(link)) chips.append(el('span', { class: 'chip' }, text));
  const main = el('div', { class: 'link-item__main' });
  main.append(head, chips, el('p', { class: 'link-item__meta' }, metaText(link)));
  item.append(qr, main, linkActions(link, title));
  return item;
}

function chipTexts(link) {
  const chips = [SCOPES[link.scope], DOWNLOADS[link.allow_download]];
  if (link.has_pin) chips.push('PIN');
  if (link.watermark) chips.push('Watermark');
  return chips;
}

function metaText(link) {
  const uses = link.max_uses ? `${link.use_count} of ${link.max_uses} guests` : plural(link.use_count, 'guest');
  const expiry = link.expires_at ? `${link.state === 'expired' ? 'expired' : 'expires'} ${formatWhen(link.expires_at)}` : 'never expires';
  return `Code ${link.code} · ${uses} · ${plural(link.search_count, 'search', 'searches')} · ${expiry}`;
}

function linkActions(link, title) {
  const actions = el('div', { class: 'link-item__actions' });
  if (link.state !== 'revoked') {
    const copy = el('button', { type: 'button', class: 'btn btn--sm', 'aria-label': `Copy the code link of ${title}` }, 'Copy link');
    copy.addEventListener('click', () => copyText(link.code_url, 'Code link copied'));
    const revoke = el('button', { type: 'button', class: 'btn btn--sm btn--ghost link-item__revoke', 'aria-label': `Revoke ${title}` }, 'Revoke');
    revoke.addEventListener('click', () => revokeLink(link, title));
    const edit = el('button', { type: 'button', class: 'btn btn--sm', 'aria-label': `Edit ${title}` }, 'Edit');
    edit.addEventListener('click', () => editLink({ link, title, url: `${root.dataset.linksUrl}${link.id}/`, onSaved: loadLinks }));
    actions.append(copy, edit, revoke);
  }
  return actions;
}

function showQr(link, title) {
  const dialog = document.getElementById('qr-dialog');
  $('qr-title', dialog).textContent = title;
  $('qr-img', dialog).src = link.qr_svg_url;
  $('qr-img', dialog).alt = `QR code for ${title}`;
  $('qr-code', dialog).textContent = link.code;
  $('qr-card', dialog).href = link.card_png_url;
  $('qr-barcode', dialog).href = link.barcode_png_url;
  dialog.showModal();
}

async function revokeLink(link, title) {
  const ok = await confirmDialog({
    title: `Revoke “${title}”?`,
    text: 'Guests using this link or its code lose access at once, and its QR code stops working. This cannot be undone.',
    action: 'Revoke link',
  });
  if (!ok) return;
  try {
    await api(`${root.dataset.linksUrl}${link.id}/revoke/`, { method: 'POST' });
    toast(`“${title}” revoked`);
  } catch (error) {
    toast(error.message, { bad: true });
  }
  await loadLinks();
}

function linkPayload(form) {
  const data = new FormData(form);
  const body = { scope: data.get('scope'), label: data.get('label').trim(), pin: data.get('pin').trim(),
    allow_download: data.get('allow_download'), watermark: data.get('watermark') === 'on' };
  if (body.scope === 'person') body.person = Number(data.get('person'));
  if (data.get('expires_at')) body.expires_at = new Date(data.get('expires_at')).toISOString();
  if (data.get('max_uses')) body.max_uses = Number(data.get('max_uses'));
  return body;
}

async function createLink(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const error = $('link-error');
  error.hidden = true;
  try {
    const link = await api(root.dataset.linksUrl, { method: 'POST', json: linkPayload(form) });
    showCreated(link);
    form.reset();
    $('person-field').hidden = true;
    await loadLinks();
  } catch (failure) {
    error.textContent = formErrorText(failure, form);
    error.hidden = false;
  }
}

function showCreated(link) {
  const panel = $('created');
  $('created-url').value = link.url;
  $('created-code').textContent = link.code;
  $('code-page').textContent = `${window.location.origin}/s/`;
  $('created-qr').src = link.qr_svg_url;
  $('created-card').href = link.card_png_url;
  $('created-qr-png').href = link.qr_png_url;
  panel.hidden = false;
  panel.focus();
}

// Person links: each person as a radio with their face beside the name, so "Person 9" is recognisable.
function personChoice(person, index) {
  const label = el('label', { class: 'person-pick__option' });
  const radio = el('input', { type: 'radio', name: 'person', value: person.id, required: true });
  radio.defaultChecked = index === 0;  // form.reset() after a link returns here, not to no choice
  const face = person.cover_thumbnail_url
    ? el('img', { class: 'person-pick__face', src: person.cover_thumbnail_url, alt: '', width: 40, height: 40, loading: 'lazy' })
    : el('span', { class: 'person-pick__face', 'aria-hidden': 'true' });
  label.append(radio, face, el('span', {}, `${person.name || `Person ${person.id}`} · ${plural(person.photo_count, 'photo')}`));
  return label;
}

async function pickPerson() {
  const scope = new FormData($('link-form')).get('scope');
  $('person-field').hidden = scope !== 'person';
  const list = $('person-choices');
  if (scope !== 'person' || list.childElementCount) return;
  const people = await api(root.dataset.peopleUrl).catch(() => []);
  list.replaceChildren(...people.filter((p) => !p.hidden).map(personChoice));
  list.setAttribute('aria-busy', 'false');
}

$('link-form').addEventListener('submit', createLink);
$('link-form').addEventListener('change', (event) => { if (event.target.name === 'scope') pickPerson(); });
document.querySelectorAll('[data-copy]').forEach((button) => button.addEventListener('click', () =>
  copyText(document.querySelector(button.dataset.copy).value, 'Link copied')));
document.querySelectorAll('dialog [data-close]').forEach((button) => button.addEventListener('click', () => button.closest('dialog').close()));
if (root.dataset.organizersUrl) import('./organizers.js').then((module) => module.start(root));
loadLinks().finally(() => { root.dataset.ready = 'true'; });
