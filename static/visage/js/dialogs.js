// Confirmation dialog, clipboard and date helpers for the management pages.
import { toast } from './ui.js';

// Resolves true when the person confirms; uses the page's #confirm-dialog (a <form method="dialog">).
export function confirmDialog({ title, text, action }) {
  const dialog = document.getElementById('confirm-dialog');
  dialog.querySelector('[data-role="confirm-title"]').textContent = title;
  dialog.querySelector('[data-role="confirm-text"]').textContent = text;
  dialog.querySelector('[data-role="confirm-ok"]').textContent = action;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

export async function copyText(text, message) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (e.g. plain http): fall back to a selected, temporary field.
    const field = Object.assign(document.createElement('textarea'), { value: text });
    document.body.append(field);
    field.select();
    document.execCommand('copy');
    field.remove();
  }
  toast(message);
}

export function formatWhen(iso) {
  return new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
