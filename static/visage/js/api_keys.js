// The API keys page: copy a new key, confirm before revoking one (the forms work without this).
import { confirmDialog, copyText } from './dialogs.js';

const copyButton = document.querySelector('[data-role="copy-key"]');
copyButton?.addEventListener('click', () => {
  copyText(document.querySelector('[data-role="key-value"]').textContent.trim(), 'Key copied.');
});

for (const form of document.querySelectorAll('form[data-role="revoke"]')) {
  form.addEventListener('submit', async (event) => {
    if (form.dataset.confirmed) return;
    event.preventDefault();
    const ok = await confirmDialog({
      title: `Revoke “${form.dataset.name}”?`,
      text: 'Tools using this key stop working at once. This cannot be undone.',
      action: 'Revoke key',
    });
    if (ok) {
      form.dataset.confirmed = 'yes';
      form.requestSubmit();
    }
  });
}
