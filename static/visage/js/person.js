// One person: rename, hide, split faces off, "not this person", album by email, undo. Undo offers
// only this page's changes, by name; the header's counts and cover follow every change.
import { api } from './api.js';
import { bindUndoButton, label, paintUndoButton, reloadWith, showFlash, undoAction } from './curation.js';
import { plural, toast } from './ui.js';

const root = document.getElementById('person-page');
const $ = (role) => root.querySelector(`[data-role="${role}"]`);
const scope = root.dataset.undoScope;
const undoUrl = root.dataset.undoUrl;
const checks = () => [...root.querySelectorAll('.face__check')];
const chosen = () => checks().filter((box) => box.checked).map((box) => Number(box.value));

function offerUndo(undo) {
  paintUndoButton($('undo'), undo);
  return { actionLabel: 'Undo', onAction: () => undoAction(undoUrl, undo.action_id) };
}

async function patch(fields) {
  return api(root.dataset.personUrl, { method: 'PATCH', json: { ...fields, scope } });
}

// The header as the server now counts it (a split or a rejection changes photos, faces and cover).
async function paintHeader() {
  const person = await api(root.dataset.personUrl);
  $('counts').textContent = `${plural(person.photo_count, 'photo')} · ${plural(person.face_count, 'face')}`;
  const cover = $('hero-cover');
  if (person.cover_thumbnail_url) { cover.src = person.cover_thumbnail_url; cover.hidden = false; } else cover.hidden = true;
}

const nameInput = $('name');
let savedName = nameInput.value;
nameInput.addEventListener('keydown', (event) => { if (event.key === 'Enter') nameInput.blur(); });
nameInput.addEventListener('change', async () => {
  const name = nameInput.value.trim();
  if (!name) { nameInput.value = savedName; return; }
  try {
    const person = await patch({ name });
    savedName = person.name;
    document.title = `${label(person)} · ${document.title.split(' · ').slice(1).join(' · ')}`;
    toast(`Named “${person.name}”`, offerUndo(person.undo));
  } catch (error) {
    nameInput.value = savedName;
    toast(error.message, { bad: true });
  }
});

$('hide').addEventListener('click', async () => {
  try {
    const person = await patch({ hidden: $('hide').dataset.hidden !== 'true' });
    reloadWith(person.hidden ? `${label(person)} is hidden from guests` : `${label(person)} is visible to guests again`, person.undo);
  } catch (error) {
    toast(error.message, { bad: true });
  }
});

bindUndoButton($('undo'), undoUrl);

// Split and reject both move the chosen faces out of this person; the grid drops them.
async function moveFaces(action) {
  const faceIds = chosen();
  const url = `${root.dataset.personUrl}${action}/`;
  try {
    const person = await api(url, { method: 'POST', json: { face_ids: faceIds, scope } });
    faceIds.forEach((id) => root.querySelector(`[data-face-id="${id}"]`).remove());
    $('no-faces').hidden = checks().length > 0;
    const what = plural(faceIds.length, 'face');
    toast(action === 'split' ? `${what} moved to a new person, ${label(person)}` : `${what} removed from this person`,
      offerUndo(person.undo));
    await paintHeader();
  } catch (error) {
    toast(error.message, { bad: true, ms: 9000 });
  }
  paintSelection();
}

function paintSelection() {
  const count = chosen().length;
  $('selection').hidden = count === 0;
  $('selection-text').textContent = `${plural(count, 'face')} selected`;
}

root.addEventListener('change', (event) => { if (event.target.classList.contains('face__check')) paintSelection(); });
$('split').addEventListener('click', () => moveFaces('split'));
$('reject').addEventListener('click', () => moveFaces('reject'));

const emailForm = $('email-form');
if (emailForm) {
  emailForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = emailForm.elements.email;
    if (!input.checkValidity()) { toast('Enter a valid email address.', { bad: true }); input.focus(); return; }
    try {
      const result = await api(root.dataset.albumEmailUrl, { method: 'POST', json: { email: input.value } });
      toast(`Album link sent to ${result.sent_to}`);
      input.value = '';
    } catch (error) {
      toast(error.message, { bad: true });
    }
  });
}

showFlash(undoUrl);
root.dataset.ready = 'true';
