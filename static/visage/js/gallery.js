// The event's photos: sort and filters (kept in the page's address), thumbnails centred on their
// faces, multi-select with bulk hide/unhide/download, a preview dialog and a slideshow.
import { api } from './api.js';
import { GallerySelection } from './gallery_select.js';
import { Slideshow } from './slideshow.js';
import { plural, toast } from './ui.js';

// The "Show" choices, as the photos API's filters.
const SHOW = {
  visible: { hidden: 'false' },
  hidden: { hidden: 'true' },
  failed: { state: 'failed' },
  'no-faces': { faces: 'none' },
};
const PAGE_SIZE = 60;

export class Gallery {
  constructor(root, { url, canShare }) {
    this.url = url;
    this.canShare = canShare;
    this.cards = new Map();  // photo id → {photo, node}, in the order shown
    this.pages = 0;
    this.next = null;
    this.count = 0;
    this.generation = 0;  // a reply to an older query (before a filter change) is dropped
    this.$ = (role) => root.querySelector(`[data-role="${role}"]`);
    this.section = document.getElementById('gallery');
    this.template = document.getElementById('photo-card');
    this.lightbox = new Lightbox(document.getElementById('lightbox'), this);
    this.selection = new GallerySelection(this.section, this);
    this.slideshow = new Slideshow(document.getElementById('slideshow'), this);
    this.query = readQuery();
    this.paintTools();
    this.$('gallery-more').addEventListener('click', () => this.loadPage(this.pages + 1));
    this.$('gallery-tools').addEventListener('change', () => this.applyTools());
    this.$('gallery-tools').addEventListener('submit', (event) => event.preventDefault());
    this.$('slideshow-start').addEventListener('click', () => this.slideshow.start(this.ids()[0]));
  }

  listUrl(page) {
    const params = new URLSearchParams({ sort: this.query.sort, page, page_size: PAGE_SIZE, ...(SHOW[this.query.show] || {}) });
    if (this.query.person) params.set('person', this.query.person);
    return `${this.url}?${params}`;
  }

  // Does a photo (after a change) still belong under the current filter?
  matches(photo) {
    if (this.query.show === 'visible') return !photo.hidden;
    if (this.query.show === 'hidden') return photo.hidden;
    return true;
  }

  filtered() {
    return Boolean(this.query.show || this.query.person);
  }

  async loadPage(page) {
    const button = this.$('gallery-more');
    const generation = this.generation;
    button.disabled = true;
    try {
      const data = await api(this.listUrl(page));
      if (generation !== this.generation) return null;
      data.results.forEach((photo) => this.upsert(photo));
      this.pages = Math.max(this.pages, page);
      if (page === this.pages) this.next = data.next;
      this.count = data.count;
      return data;
    } catch (error) {
      toast(`Photos could not be loaded: ${error.message}`, { bad: true });
      return null;
    } finally {
      button.disabled = false;
      this.paintFooter();
    }
  }

  // Re-read the pages already shown: states, thumbnails, faces and flags change while processing;
  // cards that no longer match (or moved past the pages shown) go.
  async refresh() {
    const generation = this.generation;
    const pages = Math.max(this.pages, 1);
    const seen = new Set();
    for (let page = 1; page <= pages; page += 1) {
      const data = await this.loadPage(page);
      if (!data || generation !== this.generation) return;
      data.results.forEach((photo) => seen.add(photo.id));
    }
    [...this.cards.keys()].filter((id) => !seen.has(id)).forEach((id) => this.drop(id));
    seen.forEach((id) => this.$('gallery').append(this.cards.get(id).node));  // the server's order
    this.paintFooter();
  }

  // New uploads appear at once (as "processing") when the unfiltered gallery shows its last page.
  addUploaded(photos) {
    if (this.next || this.filtered()) return;
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
      this.selection.wire(card.node, photo.id);
      this.cards.set(photo.id, card);
      this.$('gallery').append(card.node);
    }
    card.photo = photo;
    paintCard(card.node, photo, this.selection.has(photo.id));
  }

  drop(id) {
    const card = this.cards.get(id);
    if (!card) return;
    card.node.remove();
    this.cards.delete(id);
    this.selection.forget(id);
  }

  // After a hide/unhide: repaint, or take the card out (and out of the count) when the filter no longer shows it.
  changed(photos) {
    photos.forEach((photo) => {
      if (!this.cards.has(photo.id)) return;
      if (this.matches(photo)) {
        this.upsert(photo);
        this.lightbox.repaint(photo.id);
      } else {
        this.drop(photo.id);
        this.count -= 1;
      }
    });
    this.paintFooter();
  }

  async toggleHidden(id, { quiet = false } = {}) {
    const { photo } = this.cards.get(id) || {};
    if (!photo) return;
    try {
      const updated = await api(`/api/v1/photos/${id}/`, { method: 'PATCH', json: { hidden: !photo.hidden } });
      this.changed([updated]);
      if (!quiet) {
        const message = updated.hidden ? 'Hidden from guests' : 'Visible to guests again';
        toast(message, { actionLabel: 'Undo', onAction: () => this.setHidden([id], !updated.hidden, { quiet: true }) });
      }
    } catch (error) {
      toast(`Could not change that photo: ${error.message}`, { bad: true });
    }
  }

  // Bulk hide/unhide; an Undo puts back exactly the photos whose state this changed.
  async setHidden(ids, hidden, { quiet = false } = {}) {
    const flipped = ids.filter((id) => this.cards.has(id) && this.cards.get(id).photo.hidden !== hidden);
    try {
      const done = await api(this.section.dataset.hideUrl, { method: 'POST', json: { photo_ids: ids, hidden } });
      const changed = done.photo_ids.filter((id) => this.cards.has(id)).map((id) => ({ ...this.cards.get(id).photo, hidden }));
      const missing = ids.filter((id) => !this.cards.has(id));  // undoing for cards a filter took out
      this.changed(changed);
      if (missing.length && this.matchesAny(hidden)) this.reload();
      if (!quiet) {
        const message = `${plural(done.photo_ids.length, 'photo')} ${hidden ? 'hidden from guests' : 'visible to guests again'}`;
        toast(message, { actionLabel: 'Undo', onAction: () => this.setHidden(flipped, !hidden, { quiet: true }) });
      }
    } catch (error) {
      toast(`Could not change those photos: ${error.message}`, { bad: true });
    }
  }

  matchesAny(hidden) {
    return this.matches({ hidden });
  }

  ids() {
    return [...this.cards.keys()];
  }

  applyTools() {
    const form = this.$('gallery-tools');
    this.query = { sort: form.elements.sort.value, show: form.elements.show.value, person: form.elements.person ? form.elements.person.value : '' };
    const params = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(this.query)) {
      if (value && !(key === 'sort' && value === 'capture')) params.set(key, value); else params.delete(key);
    }
    const search = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
    this.reload();
  }

  reload() {
    this.generation += 1;
    this.cards.forEach((_card, id) => this.selection.forget(id));
    this.cards.clear();
    this.$('gallery').replaceChildren();
    this.$('gallery').setAttribute('aria-busy', 'true');
    this.pages = 0;
    this.next = null;
    return this.loadPage(1);
  }

  paintTools() {
    const form = this.$('gallery-tools');
    form.elements.sort.value = this.query.sort;
    form.elements.show.value = this.query.show;
    if (form.elements.person) form.elements.person.value = this.query.person;
  }

  paintFooter() {
    this.$('gallery').setAttribute('aria-busy', 'false');
    const empty = this.$('gallery-empty');
    empty.hidden = this.cards.size > 0;
    if (this.filtered()) empty.textContent = 'No photos match these filters.';
    this.$('gallery-more').hidden = !this.next;
    const shown = this.cards.size < this.count ? ` · ${this.cards.size.toLocaleString()} shown` : '';
    this.$('gallery-count').textContent = this.count ? `${plural(this.count, 'photo')}${shown}` : '';
    this.$('slideshow-start').disabled = !this.cards.size;
    this.selection.paint();
  }
}

function readQuery() {
  const params = new URLSearchParams(window.location.search);
  const sort = params.get('sort') === 'upload' ? 'upload' : 'capture';
  const show = Object.hasOwn(SHOW, params.get('show') || '') ? params.get('show') : '';
  const person = /^\d+$/.test(params.get('person') || '') ? params.get('person') : '';
  return { sort, show, person };
}

function paintCard(node, photo, selected) {
  const name = photo.original_filename;
  const open = node.querySelector('.photo__open');
  const img = open.querySelector('img');
  if (photo.thumbnail_url) {
    if (!img || img.getAttribute('src') !== photo.thumbnail_url) {
      const fresh = Object.assign(document.createElement('img'), { loading: 'lazy', decoding: 'async', alt: `Photo ${name}` });
      fresh.src = photo.thumbnail_url;
      open.replaceChildren(fresh);
    }
    // Face-aware square: the API's focus keeps the photo's faces in the tile (centre without faces).
    const focus = photo.focus || { x: 50, y: 50 };
    open.querySelector('img').style.objectPosition = `${focus.x}% ${focus.y}%`;
    open.removeAttribute('aria-label');
  } else {
    const text = photo.state === 'failed' ? 'Could not process' : 'Processing…';
    const placeholder = document.createElement('span');
    placeholder.className = 'photo__placeholder';
    placeholder.textContent = text;
    open.replaceChildren(placeholder);
    open.setAttribute('aria-label', `${name}: ${text}`);
  }
  const reason = node.querySelector('.photo__reason');
  reason.hidden = photo.state !== 'failed';
  reason.textContent = photo.state === 'failed' ? (photo.failure_reason || 'Unknown error.') : '';
  node.classList.toggle('is-hidden', photo.hidden);
  node.classList.toggle('is-selected', selected);
  node.dataset.state = photo.state;
  node.querySelector('.photo__flag').hidden = !photo.hidden;
  node.querySelector('.photo__name').textContent = name;
  node.querySelector('.photo__name').title = name;
  node.querySelector('.photo__check').checked = selected;
  node.querySelector('.photo__select .visually-hidden').textContent = `Select ${name}`;
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
