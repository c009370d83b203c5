// The people grid: rename in place, hide from guests, select and merge, undo the last change,
// answer "are these the same person?" (suggestions.js),
// and re-group (a queued job on the server: this polls its state until it is done or failed).
import { api } from './api.js';
import { label, undo } from './curation.js';
import { showSuggestions } from './suggestions.js';
import { plural, toast } from './ui.js';

const root = document.getElementById('people-page');
const $ = (role) => root.querySelector(`[data-role="${role}"]`);
const template = document.getElementById('person-card');
const selected = new Set();
let people = [];

async function load() {
  try {
    people = await api(root.dataset.peopleUrl);
  } catch (error) {
    toast(`People could not be loaded: ${error.message}`, { bad: true });
    return;
  }
  const ids = new Set(people.map((p) => p.id));
  [...selected].filter((id) => !ids.has(id)).forEach((id) => selected.delete(id));
  $('people').replaceChildren(...people.map(card));
  $('people').setAttribute('aria-busy', 'false');
  $('empty').hidden = people.length > 0;
  paintSelection();
  await showSuggestions(root, people, load);
}

function card(person) {
  const node = template.content.firstElementChild.cloneNode(true);
  const href = root.dataset.personPage.replace(/\/0\/$/, `/${person.id}/`);
  node.dataset.personId = person.id;
  node.classList.toggle('is-hidden', person.hidden);
  const face = node.querySelector('.person__face');
  face.href = href;
  face.setAttribute('aria-label', `Review faces of ${label(person)}`);
  const img = face.querySelector('img');
  if (person.cover_thumbnail_url) img.src = person.cover_thumbnail_url; else img.remove();
  node.querySelector('.person__review').href = href;
  const box = node.querySelector('.person__select input');
  box.checked = selected.has(person.id);
  node.querySelector('.person__select span').textContent = `Select ${label(person)}`;
  box.addEventListener('change', () => { box.checked ? selected.add(person.id) : selected.delete(person.id); paintSelection(); });
  bindName(node, person);
  node.querySelector('.person__meta').textContent = `${plural(person.photo_count, 'photo')} · ${plural(person.face_count, 'face')}`;
  node.querySelector('.person__flag').hidden = !person.hidden;
  const hide = node.querySelector('.toggle-hide');
  hide.textContent = person.hidden ? 'Unhide' : 'Hide';
  hide.setAttribute('aria-label', person.hidden ? `Show ${label(person)} to guests` : `Hide ${label(person)} from guests`);
  hide.addEventListener('click', () => change(person, { hidden: !person.hidden },
    person.hidden ? `${label(person)} is visible to guests again` : `${label(person)} is hidden from guests`));
  return node;
}

function bindName(node, person) {
  const input = node.querySelector('.person__name');
  const nameLabel = node.querySelector('[data-role="name-label"]');
  input.id = `person-name-${person.id}`;
  nameLabel.htmlFor = input.id;
  nameLabel.textContent = `Name of person ${person.id}`;
  input.value = person.name;
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') input.blur();
    if (event.key === 'Escape') { input.value = person.name; input.blur(); }
  });
  input.addEventListener('change', () => {
    const name = input.value.trim();
    if (!name || name === person.name) { input.value = person.name; return; }
    change(person, { name }, `Named “${name}”`);
  });
}

async function change(person, fields, message) {
  try {
    await api(`/api/v1/people/${person.id}/`, { method: 'PATCH', json: fields });
    toast(message, { actionLabel: 'Undo', onAction: () => undo(root.dataset.undoUrl, load) });
  } catch (error) {
    toast(error.message, { bad: true });
  }
  await load();
}

// The merged person keeps the id of a named one (or the most photographed), so links stay valid.
async function merge() {
  const chosen = people.filter((p) => selected.has(p.id));
  const target = chosen.find((p) => p.name) || chosen[0];
  const others = chosen.filter((p) => p !== target).map((p) => p.id);
  try {
    const merged = await api(`/api/v1/people/${target.id}/merge/`, { method: 'POST', json: { person_ids: others } });
    selected.clear();
    toast(`Merged ${chosen.length} people into ${label(merged)}`, { actionLabel: 'Undo', onAction: () => undo(root.dataset.undoUrl, load) });
  } catch (error) {
    toast(error.message, { bad: true, ms: 9000 });
  }
  await load();
}

function paintSelection() {
  const count = selected.size;
  $('selection').hidden = count === 0;
  $('selection-text').textContent = count === 1 ? '1 person selected · select another to merge' : `${count} people selected`;
  $('merge').disabled = count < 2;
  $('merge').textContent = count < 2 ? 'Merge' : `Merge ${count} people`;
}

const RECLUSTER_WORDS = {
  queued: 'Re-grouping is queued…',
  running: 'Re-grouping people… (named and edited people stay as they are)',
  failed: 'Re-grouping failed: ',
};

async function recluster() {
  const status = $('recluster-status');
  $('recluster').disabled = true;
  status.hidden = false;
  try {
    let job = await api(root.dataset.reclusterUrl, { method: 'POST' });
    while (job.state === 'queued' || job.state === 'running') {
      status.textContent = RECLUSTER_WORDS[job.state];
      await new Promise((resolve) => setTimeout(resolve, 1000));
      job = await api(root.dataset.reclusterUrl);
    }
    status.textContent = job.state === 'done'
      ? `Re-grouped in ${job.seconds ?? 0} s: ${plural(job.result.people, 'person', 'people')}.`
      : RECLUSTER_WORDS.failed + job.error;
    await load();
  } catch (error) {
    status.textContent = RECLUSTER_WORDS.failed + error.message;
  } finally {
    $('recluster').disabled = false;
  }
}

$('merge').addEventListener('click', merge);
$('recluster').addEventListener('click', recluster);
$('clear-selection').addEventListener('click', () => { selected.clear(); load(); });
$('undo').addEventListener('click', () => undo(root.dataset.undoUrl, load));
load().finally(() => { root.dataset.ready = 'true'; });
