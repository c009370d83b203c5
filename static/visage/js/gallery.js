// The event's photos: thumbnails (lazy), a preview dialog, and hide/unhide for those who share.
import { api } from './api.js';
import { plural, toast } from './ui.js';

export class Gallery {
  constructor(root, { url, canShare }) {
    this.url = url;
    this.canShare = canShare;
    this.cards = new Map();  // photo id → {photo, node}
    this.pages = 0;
    this.next = null;
    this.count = 0;
    this.$ = (role) => root.querySelector(`[data-role="${role}"]`);
    this.template = document.getElementById('photo-card');
    this.lightbox = new Lightbox(document.getElementById('lightbox'), this);
    this.$('gallery-more').addEventListener('click', () => this.loadPage(this.pages + 1));
  }

  async loadPage(page) {
    const button = this.$('gallery-more');
    button.disabled = true;
    try {
      const data = await api(`${this.url}?page=${page}`);
      data.results.forEach((photo) => this.upsert(photo));
      this.pages = Math.max(this.pages, page);
      if (page === this.pages) this.next = data.next;
      this.count = data.count;
    } catch (error) {
      toast(`Photos could not be loaded: ${error.message}`, { bad: true });
    } finally {
      button.disabled = false;
      this.paintFooter();
    }
  }

  // Re-read the pages already shown: states, thumbnails and hidden flags change while processing.
  async refresh() {
    const pages = Math.max(this.pages, 1);
    for (let page = 1; page <= pages; page += 1) await this.loadPage(page);
  }

  // New uploads appear at once (as "processing") when the gallery already shows its last page.
  addUploaded(photos) {
    if (this.next) return;
    const fresh = photos.filter((photo) => !this.cards.has(photo.id));
    fresh.forEach((photo) => this.upsert(photo));
    this.count += fresh.length;
    this.paintFooter();
  }

  upsert(photo) {
    let card = this.cards.get(photo.id);
    if (!card) {
      card = { node: this.template.content.firstElementChild.cloneNode(true) };
      card.node.dataset.photoId = photo.id;
      card.node.querySelector('.photo__open').addEventListener('click', () => this.lightbox.open(photo.id));
      const toggle = card.node.querySelector('.toggle-hide');
      if (toggle) toggle.addEventListener('click', () => this.toggleHidden(photo.id));
      this.cards.set(photo.id, card);
      this.$('gallery').append(card.node);
    }
    card.photo = photo;
    paintCard(card.node, photo);
  }

  async toggleHidden(id, { quiet = false } = {}) {
    const { photo } = this.cards.get(id);
    try {
      const updated = await api(`/api/v1/photos/${id}/`, { method: 'PATCH', json: { hidden: !photo.hidden } });
      this.upsert(updated);
      this.lightbox.repaint(id);
      if (!quiet) {
        const message = updated.hidden ? 'Hidden from guests' : 'Visible to guests again';
        toast(message, { actionLabel: 'Undo', onAction: () => this.toggleHidden(id, { quiet: true }) });
      }
    } catch (error) {
      toast(`Could not change that photo: ${error.message}`, { bad: true });
    }
  }

  ids() {
    return [...this.cards.keys()];
  }

  paintFooter() {
    this.$('gallery').setAttribute('aria-busy', 'false');
    this.$('gallery-empty').hidden = this.cards.size > 0;
    this.$('gallery-more').hidden = !this.next;
    this.$('gallery-count').textContent = this.count ? plural(this.count, 'photo') : '';
  }
}

function paintCard(node, photo) {
  const name = photo.original_filename;
  const open = node.querySelector('.photo__open');
  const img = open.querySelector('img');
  if (photo.thumbnail_url) {
    if (!img || img.getAttribute('src') !== photo.thumbnail_url) {
      const fresh = Object.assign(document.createElement('img'), { loading: 'lazy', decoding: 'async', alt: `Photo ${name}` });
      fresh.src = photo.thumbnail_url;
      open.replaceChildren(fresh);
    }
  } else {
    const text = photo.state === 'failed' ? `Could not process: ${photo.failure_reason || 'unknown error'}` : 'Processing…';
    const placeholder = document.createElement('span');
    placeholder.className = 'photo__placeholder';
    placeholder.textContent = text;
    open.replaceChildren(placeholder);
    open.setAttribute('aria-label', `${name}: ${text}`);
  }
  if (photo.thumbnail_url) open.removeAttribute('aria-label');
  node.classList.toggle('is-hidden', photo.hidden);
  node.dataset.state = photo.state;
  node.querySelector('.photo__flag').hidden = !photo.hidden;
  node.querySelector('.photo__name').textContent = name;
  node.querySelector('.photo__name').title = name;
  const toggle = node.querySelector('.toggle-hide');
  if (toggle) {
    toggle.textContent = photo.hidden ? 'Unhide' : 'Hide';
    toggle.setAttribute('aria-label', photo.hidden ? `Show ${name} to guests` : `Hide ${name} from guests`);
  }
}

class Lightbox {
  constructor(dialog, gallery) {
    this.dialog = dialog;
    this.gallery = gallery;
    this.current = null;
    this.$ = (role) => dialog.querySelector(`[data-role="${role}"]`);
    this.$('close').addEventListener('click', () => dialog.close());
    this.$('prev').addEventListener('click', () => this.step(-1));
    this.$('next').addEventListener('click', () => this.step(1));
    this.$('lightbox-hide').addEventListener('click', () => this.gallery.toggleHidden(this.current));
    dialog.addEventListener('click', (event) => { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowLeft') this.step(-1);
      if (event.key === 'ArrowRight') this.step(1);
    });
    dialog.addEventListener('close', () => {
      const card = this.gallery.cards.get(this.current);
      if (card) card.node.querySelector('.photo__open').focus();
    });
  }

  open(id) {
    this.current = id;
    this.dialog.dataset.photoId = String(id); // face_boxes.js draws this photo's faces
    this.repaint(id);
    if (!this.dialog.open) this.dialog.showModal();
  }

  step(delta) {
    const ids = this.gallery.ids();
    const index = ids.indexOf(this.current);
    if (ids.length) this.open(ids[(index + delta + ids.length) % ids.length]);
  }

  repaint(id) {
    if (id !== this.current) return;
    const { photo } = this.gallery.cards.get(id);
    const img = this.$('lightbox-img');
    const src = photo.preview_url || photo.thumbnail_url;
    if (src) img.src = src;
    img.alt = `Preview of ${photo.original_filename}`;
    img.hidden = !src;
    const size = photo.width ? ` · ${photo.width}×${photo.height}` : '';
    this.$('lightbox-title').textContent = `${photo.original_filename}${size}${photo.hidden ? ' · hidden from guests' : ''}`;
    const original = this.$('lightbox-original');
    original.href = photo.original_url;
    original.setAttribute('download', photo.original_filename);
    const hide = this.$('lightbox-hide');
    hide.hidden = !this.gallery.canShare;
    hide.textContent = photo.hidden ? 'Unhide' : 'Hide from guests';
    const several = this.gallery.cards.size > 1;
    this.$('prev').hidden = !several;
    this.$('next').hidden = !several;
  }
}
