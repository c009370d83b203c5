// Helpers shared by the people grid and the person page.
import { api } from './api.js';
import { toast } from './ui.js';

export function label(person) {
  return person.name || `Person ${person.id}`;
}

// The server keeps the event's curation history; undo reverts its latest action.
export async function undo(undoUrl, after) {
  try {
    const result = await api(undoUrl, { method: 'POST' });
    toast(`Undone: ${result.undone}`);
    await after();
  } catch (error) {
    toast(error.message, { bad: true });
  }
}
