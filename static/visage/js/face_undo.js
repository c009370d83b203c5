// A face change's toast: what happened, and an undo button that names it ("Undo: moved 1 face to Ana").
import { api } from './api.js';
import { toast } from './ui.js';

export function changed(message, change, undoUrl, afterUndo) {
  toast(message, {
    ms: 10000,
    actionLabel: change.undo_label,
    onAction: async () => {
      try {
        const undone = await api(undoUrl, { method: 'POST', json: { action_id: change.action_id } });
        toast(`Undone: ${undone.label.replace(/^Undo: /, '')}`);
        afterUndo();
      } catch (error) {
        toast(error.message, { bad: true });
      }
    },
  });
}
