// Multi-select in the gallery: a checkbox per tile (a real one: Tab and Space work), Shift for a
// range, and a bar of bulk actions: hide, unhide, download a zip of the originals.
import { api } from './api.js';
import { plural, toast } from './ui.js';

export class GallerySelection {
  constructor(section, gallery) {
    this.section = section;
    this.gallery = gallery;
    this.ids = new Set();
    this.anchor = null;  // the last tile clicked without Shift: a Shift-click selects from it
    this.$ = (role) => section.querySelector(`[data-role="${role}"]`);
    this.$('select-all').addEventListener('click', () => this.setMany(gallery.ids(), true));
    this.$('select-none').addEventListener('click', () => this.setMany([...this.ids], false));
    this.$('bulk-download').addEventListener('click', () => this.download());
    const hide = this.$('bulk-hide');
    if (hide) hide.addEventListener('click', () => gallery.setHidden([...this.ids], true));
    const unhide = this.$('bulk-unhide');
    if (unhide) unhide.addEventListener('click', () => gallery.setHidden([...this.ids], false));
    const share = this.$('bulk-share');
    if (share) share.addEventListener('click', () => this.share());
    this.shareDialog = document.getElementById('share-selected');
    const within = (role) => this.shareDialog.querySelector(`[data-role="${role}"]`);
    within('share-close').addEventListener('click', () => this.shareDialog.close());
    within('share-copy').addEventListener('click', async () => {
      const field = within('share-url');
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        toast('Link copied');
      } catch (error) {
        toast('Select the link and copy it', { bad: true });
      }
    });
  }

  // A share link limited to the selection (scope "photos"); its token is shown once, here.
  async share() {
    const ids = [...this.ids];
    const button = this.$('bulk-share');
    button.disabled = true;
    try {
      const link = await api(this.section.dataset.shareUrl, { method: 'POST', json: {
        scope: 'photos', photo_ids: ids, label: `${plural(ids.length, 'selected photo')}` } });
      this.shareDialog.querySelector('[data-role="share-title"]').textContent = `Share link for ${plural(ids.length, 'photo')}`;
      this.shareDialog.querySelector('[data-role="share-url"]').value = link.url;
      this.shareDialog.showModal();
    } catch (error) {
      toast(`Could not make a link: ${error.message}`, { bad: true });
    } finally {
      button.disabled = false;
    }
  }

  has(id) {
    return this.ids.has(id);
  }

  wire(node, id) {
    const box = node.querySelector('.photo__check');
    box.addEventListener('click', (event) => {
      if (event.shiftKey && this.anchor !== null && this.anchor !== id) {
        const order = this.gallery.ids();
        const [from, to] = [order.indexOf(this.anchor), order.indexOf(id)].sort((a, b) => a - b);
        if (from >= 0) this.setMany(order.slice(from, to + 1), box.checked);
      } else {
        this.setMany([id], box.checked);
      }
      this.anchor = id;
    });
  }

  setMany(ids, selected) {
    ids.forEach((id) => {
      if (selected) this.ids.add(id); else this.ids.delete(id);
      const card = this.gallery.cards.get(id);
      if (card) {
        card.node.classList.toggle('is-selected', selected);
        card.node.querySelector('.photo__check').checked = selected;
      }
    });
    this.paint();
  }

  forget(id) {
    this.ids.delete(id);
    if (this.anchor === id) this.anchor = null;
  }

  paint() {
    const count = this.ids.size;
    this.$('bulk').hidden = count === 0;
    this.$('bulk-count').textContent = `${plural(count, 'photo')} selected`;
    this.section.classList.toggle('is-selecting', count > 0);
  }

  // A plain form post: the browser streams the zip to disk (a fetch would hold it all in memory).
  download() {
    const form = this.$('download-form');
    form.querySelectorAll('input[name="photo_ids"]').forEach((input) => input.remove());
    this.ids.forEach((id) => {
      const input = document.createElement('input');
      Object.assign(input, { type: 'hidden', name: 'photo_ids', value: String(id) });
      form.append(input);
    });
    form.submit();
    toast(`Preparing a zip of ${plural(this.ids.size, 'original')}…`);
  }
}
