// Unassigned faces: assign a face to a suggested or chosen person (or a new one), or set it aside
// ("not a face", "ignore"); every change is undoable from its toast.
import { api } from './api.js';
import { changed } from './face_undo.js';
import { el, plural, toast } from './ui.js';

const root = document.getElementById('unassigned-page');
const list = root.querySelector('[data-role="faces"]');
const reload = () => window.location.reload();
const PAGE = 'unassigned';

function removeCard(card) {
  const next = card.nextElementSibling || card.previousElementSibling;
  card.remove();
  const count = root.querySelector('[data-role="count"]');
  count.dataset.total = Math.max(0, Number(count.dataset.total) - 1);
  count.textContent = plural(Number(count.dataset.total), 'face');
  root.querySelector('[data-role="empty"]').hidden = list.children.length > 0;
  const focusable = next && next.querySelector('button, select');
  if (focusable) focusable.focus();
}

async function assign(card, target, name) {
  const faceId = Number(card.dataset.faceId);
  const json = { face_ids: [faceId], page: PAGE, ...target };
  try {
    const change = await api(root.dataset.assignUrl, { method: 'POST', json });
    removeCard(card);
    changed(`Moved to ${name}`, change, root.dataset.undoUrl, reload);
  } catch (error) {
    toast(error.message, { bad: true });
  }
}

function askNewName(card) {
  const actions = card.querySelector('.unassigned__actions');
  if (actions.querySelector('form')) return;
  const id = `new-name-${card.dataset.faceId}`;
  const form = el('form', { class: 'unassigned__new' });
  const input = el('input', { type: 'text', id, maxlength: '100', placeholder: 'Name (optional)', autocomplete: 'off' });
  form.append(el('label', { for: id, class: 'visually-hidden' }, 'Name of the new person'), input,
    el('button', { type: 'submit', class: 'btn btn--sm btn--primary' }, 'Create'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = input.value.trim();
    assign(card, { new_person_name: name }, name || 'a new person');
  });
  actions.append(form);
  input.focus();
}

list.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-role]');
  if (!button) return;
  const card = button.closest('[data-face-id]');
  if (button.dataset.role === 'assign-chosen') {
    const select = card.querySelector('[data-role="person-select"]');
    if (select.value === 'new') askNewName(card);
    else if (select.value) assign(card, { person_id: Number(select.value) }, select.selectedOptions[0].textContent.split(' · ')[0]);
    else select.focus();
  } else if (button.dataset.role === 'assign') {
    assign(card, { person_id: Number(button.dataset.personId) }, button.dataset.personName);
  } else if (button.dataset.role === 'set-aside') {
    try {
      const change = await api(root.dataset.setAsideUrl, {
        method: 'POST', json: { face_ids: [Number(card.dataset.faceId)], reason: button.dataset.reason, page: PAGE },
      });
      removeCard(card);
      changed(button.dataset.reason === 'ignored' ? 'Ignored' : 'Marked as not a face', change, root.dataset.undoUrl, reload);
    } catch (error) {
      toast(error.message, { bad: true });
    }
  }
});

document.body.dataset.ready = 'true';
