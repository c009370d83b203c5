// The people grid (rendered by the server a page at a time, with filters and a name search):
// rename in place, hide, select across pages and merge or hide in bulk, undo this page's changes
// by name, answer "are these the same person?" (suggestions.js), and re-group (a queued job on
// the server: this polls its state until it is done or failed).
import { api } from './api.js';
import { bindUndoButton, label, paintUndoButton, reloadWith, showFlash, undoAction } from './curation.js';
import { showSuggestions } from './suggestions.js';
import { plural, toast } from './ui.js';

const root = document.getElementById('people-page');
const $ = (role) => root.querySelector(`[data-role="${role}"]`);
const scope = root.dataset.undoScope;
const undoUrl = root.dataset.undoUrl;

// The selection outlives a search or another page (people to merge are often found one by one).
const STORE = `visage:people-selection:${root.dataset.eventId}`;
const selected = new Map(Object.entries(JSON.parse(sessionStorage.getItem(STORE) || '{}')).map(([id, p]) => [Number(id), p]));
const save = () => sessionStorage.setItem(STORE, JSON.stringify(Object.fromEntries(selected)));

function fromCard(node) {
  return { id: Number(node.dataset.personId), name: node.dataset.name, photo_count: Number(node.dataset.photoCount),
           hidden: node.dataset.hidden === 'true' };
}

function bindCard(node) {
  const person = fromCard(node);
  const box = node.querySelector('.person__select input');
  box.checked = selected.has(person.id);
  box.addEventListener('change', () => {
    if (box.checked) selected.set(person.id, person); else selected.delete(person.id);
    save();
    paintSelection();
  });
  const input = node.querySelector('.person__name');
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') input.blur();
    if (event.key === 'Escape') { input.value = person.name; input.blur(); }
  });
  input.addEventListener('change', async () => {
    const name = input.value.trim();
    if (!name || name === person.name) { input.value = person.name; return; }
    try {
      const result = await api(`/api/v1/people/${person.id}/`, { method: 'PATCH', json: { name, scope } });
      person.name = result.name;
      node.dataset.name = result.name;
      if (selected.has(person.id)) { selected.set(person.id, person); save(); }
      paintUndoButton($('undo'), result.undo);
      toast(`Named “${result.name}”`, { actionLabel: 'Undo', onAction: () => undoAction(undoUrl, result.undo.action_id) });
    } catch (error) {
      input.value = person.name;
      toast(error.message, { bad: true });
    }
  });
  node.querySelector('.toggle-hide').addEventListener('click', async () => {
    try {
      const result = await api(`/api/v1/people/${person.id}/`, { method: 'PATCH', json: { hidden: !person.hidden, scope } });
      reloadWith(result.hidden ? `${label(result)} is hidden from guests` : `${label(result)} is visible to guests again`, result.undo);
    } catch (error) {
      toast(error.message, { bad: true });
    }
  });
}

function paintSelection() {
  const count = selected.size;
  const here = new Set([...root.querySelectorAll('.person[data-person-id]')].map((n) => Number(n.dataset.personId)));
  const elsewhere = [...selected.keys()].filter((id) => !here.has(id)).length;
  $('selection').hidden = count === 0;
  $('selection-text').textContent = (count === 1 ? '1 person selected · select another to merge' : `${count} people selected`)
    + (elsewhere ? ` (${elsewhere} not shown here)` : '');
  $('merge').disabled = count < 2;
  $('merge').textContent = count < 2 ? 'Merge' : `Merge ${count} people`;
  const people = [...selected.values()];
  $('hide-selected').hidden = !people.some((p) => !p.hidden);
  $('hide-selected').textContent = `Hide ${plural(people.filter((p) => !p.hidden).length, 'person', 'people')}`;
  $('show-selected').hidden = !people.some((p) => p.hidden);
}

function clearSelection() {
  selected.clear();
  save();
  root.querySelectorAll('.person__select input').forEach((box) => { box.checked = false; });
  paintSelection();
}

// The merged person keeps the id of a named one (or the most photographed), so links stay valid.
async function merge() {
  const chosen = [...selected.values()].sort((a, b) => b.photo_count - a.photo_count);
  const target = chosen.find((p) => p.name) || chosen[0];
  const others = chosen.filter((p) => p !== target).map((p) => p.id);
  try {
    const merged = await api(`/api/v1/people/${target.id}/merge/`, { method: 'POST', json: { person_ids: others, scope } });
    selected.clear();
    save();
    reloadWith(`Merged ${chosen.length} people into ${label(merged)}`, merged.undo);
  } catch (error) {
    toast(error.message, { bad: true, ms: 9000 });
  }
}

async function setHidden(hidden) {
  const ids = [...selected.values()].filter((p) => p.hidden !== hidden).map((p) => p.id);
  try {
    const result = await api(root.dataset.hideUrl, { method: 'POST', json: { person_ids: ids, hidden, scope } });
    selected.clear();
    save();
    const who = plural(ids.length, 'person', 'people');
    reloadWith(hidden ? `${who} hidden from guests` : `${who} visible to guests again`, result.undo);
  } catch (error) {
    toast(error.message, { bad: true, ms: 9000 });
  }
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
    if (job.state === 'done') {
      reloadWith(`Re-grouped in ${job.seconds ?? 0} s: ${plural(job.result.people, 'person', 'people')}.`);
      return;
    }
    status.textContent = RECLUSTER_WORDS.failed + job.error;
  } catch (error) {
    status.textContent = RECLUSTER_WORDS.failed + error.message;
  }
  $('recluster').disabled = false;
}

root.querySelectorAll('.person[data-person-id]').forEach(bindCard);
$('merge').addEventListener('click', merge);
$('hide-selected').addEventListener('click', () => setHidden(true));
$('show-selected').addEventListener('click', () => setHidden(false));
$('recluster').addEventListener('click', recluster);
$('clear-selection').addEventListener('click', clearSelection);
bindUndoButton($('undo'), undoUrl);
paintSelection();
showFlash(undoUrl);
showSuggestions(root).finally(() => { root.dataset.ready = 'true'; });
