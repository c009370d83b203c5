// One person: rename, hide, split faces off, "not this person", album by email, undo.
import { api } from './api.js';
import { label, undo } from './curation.js';
import { plural, toast } from './ui.js';

const root = document.getElementById('person-page');
const $ = (role) => root.querySelector(`[data-role="${role}"]`);
const reload = () => window.location.reload();
const checks = () => [...root.querySelectorAll('.face__check')];
const chosen = () => checks().filter((box) => box.checked).map((box) => Number(box.value));

function undoAction() {
  return { actionLabel: 'Undo', onAction: () => undo(root.dataset.undoUrl, reload) };
}

async function patch(fields) {
  return api(root.dataset.personUrl, { method: 'PATCH', json: fields });
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
    toast(`Named “${person.name}”`, undoAction());
  } catch (error) {
    nameInput.value = savedName;
    toast(error.message, { bad: true });
  }
});

$('hide').addEventListener('click', async () => {
  try {
    await patch({ hidden: $('hide').dataset.hidden !== 'true' });
    reload();
  } catch (error) {
    toast(error.message, { bad: true });
  }
});

$('undo').addEventListener('click', () => undo(root.dataset.undoUrl, reload));

// Split and reject both move the chosen faces out of this person; the grid drops them.
async function moveFaces(action) {
  const faceIds = chosen();
  const url = `${root.dataset.personUrl}${action}/`;
  try {
    const person = await api(url, { method: 'POST', json: { face_ids: faceIds } });
    faceIds.forEach((id) => root.querySelector(`[data-face-id="${id}"]`).remove());
    $('no-faces').hidden = checks().length > 0;
    const what = plural(faceIds.length, 'face');
    toast(action === 'split' ? `${what} moved to a new person, ${label(person)}` : `${what} removed from this person`, undoAction());
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

root.dataset.ready = 'true';
