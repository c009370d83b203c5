// A full-screen slideshow of the gallery as sorted and filtered: advances every few seconds,
// arrow keys and swipes step, Space or the button pauses, Escape closes. Loads more pages as it goes.
const SECONDS = 4;
const SWIPE_PX = 40;

export class Slideshow {
  constructor(dialog, gallery) {
    this.dialog = dialog;
    this.gallery = gallery;
    this.current = null;
    this.timer = null;
    this.paused = false;
    this.$ = (role) => dialog.querySelector(`[data-role="${role}"]`);
    this.$('slide-prev').addEventListener('click', () => this.step(-1));
    this.$('slide-next').addEventListener('click', () => this.step(1));
    this.$('slide-pause').addEventListener('click', () => this.togglePause());
    this.$('slide-close').addEventListener('click', () => dialog.close());
    dialog.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowLeft') { event.preventDefault(); this.step(-1); }
      if (event.key === 'ArrowRight') { event.preventDefault(); this.step(1); }
      if (event.key === ' ' && event.target.tagName !== 'BUTTON') { event.preventDefault(); this.togglePause(); }
    });
    let startX = null;
    dialog.addEventListener('pointerdown', (event) => { startX = event.clientX; });
    dialog.addEventListener('pointerup', (event) => {
      if (startX === null) return;
      const dx = event.clientX - startX;
      startX = null;
      if (Math.abs(dx) >= SWIPE_PX) this.step(dx < 0 ? 1 : -1);
    });
    dialog.addEventListener('close', () => {
      clearTimeout(this.timer);
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    });
  }

  start(id) {
    if (id === undefined) return;
    this.paused = false;
    this.show(id);
    if (!this.dialog.open) this.dialog.showModal();
    this.schedule();
    // Full screen where the browser allows it (a user's click started this); the dialog fills the window anyway.
    if (this.dialog.requestFullscreen) this.dialog.requestFullscreen().catch(() => {});
    this.$('slide-pause').focus();
  }

  // Photos with a preview, in the gallery's order (a photo still processing has nothing to show).
  ids() {
    return this.gallery.ids().filter((id) => this.gallery.cards.get(id).photo.preview_url);
  }

  async step(delta) {
    let ids = this.ids();
    let index = ids.indexOf(this.current);
    if (delta > 0 && index === ids.length - 1 && this.gallery.next) {
      await this.gallery.loadPage(this.gallery.pages + 1);
      ids = this.ids();
      index = ids.indexOf(this.current);
    }
    if (ids.length) this.show(ids[(index + delta + ids.length) % ids.length]);
  }

  show(id) {
    const card = this.gallery.cards.get(id);
    if (!card) return;
    this.current = id;
    const { photo } = card;
    const img = this.$('slide-img');
    img.src = photo.preview_url || photo.thumbnail_url || '';
    img.alt = `Photo ${photo.original_filename}`;
    const ids = this.ids();
    const position = ids.indexOf(id) + 1;
    this.$('slide-caption').textContent = `${photo.original_filename} · ${position} of ${this.gallery.count.toLocaleString()}`;
    this.schedule();
  }

  togglePause() {
    this.paused = !this.paused;
    this.$('slide-pause').textContent = this.paused ? 'Play' : 'Pause';
    this.$('slide-pause').setAttribute('aria-pressed', String(this.paused));
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    if (!this.paused && this.dialog.open) this.timer = setTimeout(() => this.step(1), SECONDS * 1000);
  }
}
