// Organizers of the event: list, invite by email, remove.
import { api } from './api.js';
import { confirmDialog } from './dialogs.js';
import { el, toast } from './ui.js';

export function start(root) {
  const url = root.dataset.organizersUrl;
  const list = root.querySelector('[data-role="organizers"]');
  const form = root.querySelector('[data-role="invite-form"]');

  async function load() {
    const organizers = await api(url).catch((error) => { toast(error.message, { bad: true }); return []; });
    list.replaceChildren(...organizers.map(item));
    if (!organizers.length) list.append(el('li', { class: 'muted' }, 'No organizers yet.'));
  }

  function item(organizer) {
    const li = el('li', { class: 'organizer' });
    li.append(el('span', { class: 'organizer__email' }, organizer.email));
    li.append(el('span', { class: `badge ${organizer.has_password ? 'badge--ok' : ''}` }, organizer.has_password ? 'Active' : 'Invitation sent'));
    const remove = el('button', { type: 'button', class: 'btn btn--sm btn--ghost', 'aria-label': `Remove ${organizer.email}` }, 'Remove');
    remove.addEventListener('click', async () => {
      const ok = await confirmDialog({ title: `Remove ${organizer.email}?`, text: 'They lose access to this event at once.', action: 'Remove organizer' });
      if (!ok) return;
      await api(`${url}${organizer.user_id}/`, { method: 'DELETE' }).catch((error) => toast(error.message, { bad: true }));
      await load();
    });
    li.append(remove);
    return li;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = form.elements.email;
    if (!input.checkValidity()) { toast('Enter a valid email address.', { bad: true }); input.focus(); return; }
    try {
      const organizer = await api(url, { method: 'POST', json: { email: input.value.trim() } });
      toast(`Invitation sent to ${organizer.email}`);
      input.value = '';
    } catch (error) {
      toast(error.message, { bad: true });
    }
    await load();
  });

  load();
}
