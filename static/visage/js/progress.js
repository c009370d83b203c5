// Live processing progress: polls the event's counters every 2 s while photos are pending.
import { api } from './api.js';
import { plural } from './ui.js';

const POLL_MS = 2000;

export class ProcessingMonitor {
  constructor(root, { url, initial, onChange = () => {} }) {
    this.root = root;
    this.url = url;
    this.onChange = onChange;
    this.timer = null;
    this.counters = initial;
    this.paint(initial);
  }

  // Fetch now, then keep polling while anything is pending. Safe to call repeatedly.
  watch() {
    clearTimeout(this.timer);
    this.timer = null;
    this.tick();
  }

  async tick() {
    let counters;
    try {
      counters = (await api(this.url)).counters;
    } catch (error) {
      this.timer = setTimeout(() => this.tick(), POLL_MS * 3);  // a blip: try again a little later
      return;
    }
    const previous = this.counters;
    this.counters = counters;
    this.paint(counters);
    if (JSON.stringify(previous) !== JSON.stringify(counters)) this.onChange(counters, previous);
    if (counters.photos_pending > 0) this.timer = setTimeout(() => this.tick(), POLL_MS);
  }

  paint(c) {
    for (const node of this.root.querySelectorAll('[data-counter]')) {
      node.textContent = (c[node.dataset.counter] ?? 0).toLocaleString();
    }
    const settled = c.photos_done + c.photos_failed;
    const bar = this.root.querySelector('[data-role="bar"]');
    bar.max = Math.max(c.photos_total, 1);
    bar.value = settled;
    bar.classList.toggle('is-ok', c.photos_total > 0 && c.photos_pending === 0);
    this.root.querySelector('[data-role="failed-stat"]').classList.toggle('stat--bad', c.photos_failed > 0);
    const dot = this.root.querySelector('[data-role="dot"]');
    dot.className = `dot ${c.photos_pending > 0 ? 'dot--busy' : c.photos_total ? 'dot--ok' : ''}`;
    this.root.querySelector('[data-role="status"]').textContent = statusText(c);
    this.root.dataset.state = c.photos_pending > 0 ? 'processing' : 'idle';
  }
}

function statusText(c) {
  if (!c.photos_total) return 'No photos yet';
  if (c.photos_pending > 0) return `Processing… ${c.photos_done + c.photos_failed} of ${plural(c.photos_total, 'photo')}`;
  const failed = c.photos_failed ? ` · ${c.photos_failed} could not be processed` : '';
  return `All ${plural(c.photos_total, 'photo')} processed · ${plural(c.faces, 'face')} found${failed}`;
}
