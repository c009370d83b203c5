// Helpers shared by the people grid and the person page: labels, named undo, and a toast that
// survives the page reload that follows a change (the server renders the new state).
import { api } from './api.js';
import { toast } from './ui.js';

const FLASH = 'visage:curation-flash';

export function label(person) {
  return person.name || `Person ${person.id}`;
}

// Undo one change by its id (every change answers with `undo: {action_id, label}`): the server
// refuses, with the reason, when a later change depends on it.
export async function undoAction(undoUrl, actionId) {
  try {
    const result = await api(undoUrl, { method: 'POST', json: { action_id: Number(actionId) } });
    reloadWith(`Undone: ${result.label || result.undone}`);
  } catch (error) {
    toast(error.message, { bad: true, ms: 9000 });
  }
}

// Reload the page (same filters and page) and then show `message`, with an Undo for `undo` if given.
export function reloadWith(message, undo = null) {
  sessionStorage.setItem(FLASH, JSON.stringify({ message, undo }));
  window.location.reload();
}

export function showFlash(undoUrl) {
  const raw = sessionStorage.getItem(FLASH);
  if (!raw) return;
  sessionStorage.removeItem(FLASH);
  const { message, undo } = JSON.parse(raw);
  toast(message, undo ? { actionLabel: 'Undo', onAction: () => undoAction(undoUrl, undo.action_id), ms: 8000 } : {});
}

// The page's own Undo button: names the page's latest change ("Undo: merged Person 9 into Ana").
export function bindUndoButton(button, undoUrl) {
  button.addEventListener('click', () => undoAction(undoUrl, button.dataset.actionId));
}

export function paintUndoButton(button, undo) {
  if (!undo) return;
  button.dataset.actionId = undo.action_id;
  button.querySelector('[data-role="undo-label"]').textContent = `Undo: ${undo.label}`;
  button.hidden = false;
}
