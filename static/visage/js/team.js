// The team page: confirm before removing a member (the forms work without this).
import { confirmDialog } from './dialogs.js';

for (const form of document.querySelectorAll('form[data-role="remove-member"]')) {
  form.addEventListener('submit', async (event) => {
    if (form.dataset.confirmed) return;
    event.preventDefault();
    const ok = await confirmDialog({
      title: `Remove ${form.dataset.email}?`,
      text: 'They can no longer sign in to this studio, and API keys they created here stop working.',
      action: 'Remove',
    });
    if (ok) {
      form.dataset.confirmed = 'yes';
      form.requestSubmit();
    }
  });
}
