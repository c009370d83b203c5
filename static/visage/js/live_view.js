// The event page's live view: photos arriving from every source (web, API, camera FTP, hot folder),
// counts per state, failures with reasons and refused files, without a reload.
//
// Polling, not Server-Sent Events: an open SSE stream holds a gunicorn worker (sync workers) for as
// long as the page is open, and the WSGI stack has no async server. A poll every few seconds with
// the last cursor costs two aggregate queries while nothing changed and answers {changed: false}.
import { api } from './api.js';
import { el, plural } from './ui.js';

const POLL_MS = 3000;
const SOURCES = { web: 'Web', api: 'API', ftp: 'Camera (FTP)', hot_folder: 'Hot folder', import: 'Import' };
const STATES = {
  queued: ['Queued', ''], processing: ['Processing', 'badge--accent'], done: ['Done', 'badge--ok'],
  failed: ['Failed', 'badge--bad'], rejected: ['Refused', 'badge--bad'],
};

export class LiveView {
  constructor(root) {
    this.root = root;
    this.url = root.dataset.liveUrl;
    this.cursor = '';
    this.timer = null;
    this.summary = '';
    this.template = document.getElementById('live-item');
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.poll(); });
  }

  // Fetch now, then every few seconds; a hidden tab stops polling until it is shown again.
  async poll() {
    clearTimeout(this.timer);
    let body;
    try {
      body = await api(`${this.url}?since=${encodeURIComponent(this.cursor)}`);
      this.root.querySelector('[data-role="live-dot"]').className = 'dot dot--ok';
      this.root.querySelector('[data-role="updated"]').textContent = `Updated ${clock(new Date())}`;
    } catch (error) {
      this.root.querySelector('[data-role="live-dot"]').className = 'dot';
      this.root.querySelector('[data-role="updated"]').textContent = 'Reconnecting…';
    }
    if (body) {
      this.cursor = body.cursor;
      if (body.changed) this.paint(body);
    }
    this.root.dataset.liveReady = 'true';
    if (!document.hidden) this.timer = setTimeout(() => this.poll(), body ? POLL_MS : POLL_MS * 3);
  }

  paint({ counts, sources, arrivals, failures, rejections }) {
    for (const node of this.root.querySelectorAll('[data-count]')) {
      const count = counts[node.dataset.count] ?? 0;
      node.textContent = count.toLocaleString();
      node.parentElement.classList.toggle('is-zero', count === 0);
    }
    const summary = summaryText(counts);
    if (summary !== this.summary) {  // the polite region speaks only when the counts changed
      this.summary = summary;
      this.root.querySelector('[data-role="summary"]').textContent = summary;
    }
    this.root.querySelector('[data-role="sources"]').textContent = Object.entries(sources)
      .filter(([, count]) => count > 0).map(([name, count]) => `${SOURCES[name] || name}: ${count.toLocaleString()}`)
      .join(' · ');
    this.fill('arrivals', arrivals.map((photo) => this.photoItem(photo)));
    this.more('arrivals', arrivals.length, counts.total, 'photos: the gallery below has them all');
    const problems = [
      ...failures.map((photo) => ({ at: photo.processed_at || photo.created_at, node: this.photoItem(photo, true) })),
      ...rejections.map((item) => ({ at: item.created_at, node: this.rejectionItem(item) })),
    ].sort((a, b) => (a.at < b.at ? 1 : -1));
    this.fill('problems', problems.map((problem) => problem.node));
    this.more('problems', problems.length, counts.failed + counts.rejected, 'problems');
  }

  // "Latest 12 of 40 …" when the lists hold only the newest of more.
  more(role, shown, total, what) {
    const note = this.root.querySelector(`[data-role="${role}-more"]`);
    note.hidden = total <= shown;
    note.textContent = total > shown ? `Latest ${shown} of ${total.toLocaleString()} ${what}` : '';
  }

  fill(role, nodes) {
    this.root.querySelector(`[data-role="${role}"]`).replaceChildren(...nodes);
    this.root.querySelector(`[data-role="${role}-empty"]`).hidden = nodes.length > 0;
  }

  item({ name, source, state, at, reason }) {
    const node = this.template.content.firstElementChild.cloneNode(true);
    node.querySelector('.live-item__name').textContent = name;
    node.querySelector('.live-item__source').textContent = SOURCES[source] || source;
    const [label, tone] = STATES[state] || [state, ''];
    const badge = node.querySelector('.live-item__state');
    badge.textContent = label;
    if (tone) badge.classList.add(tone);
    node.dataset.state = state;
    node.querySelector('.live-item__time').textContent = at ? clock(new Date(at)) : '';
    node.querySelector('.live-item__reason').textContent = reason || '';
    node.querySelector('.live-item__reason').hidden = !reason;
    return node;
  }

  photoItem(photo, withReason = false) {
    const node = this.item({
      name: photo.original_filename, source: photo.source, state: photo.state, at: photo.created_at,
      reason: withReason || photo.state === 'failed' ? photo.failure_reason : '',
    });
    if (photo.thumbnail_url) {
      node.querySelector('.live-item__thumb').append(el('img', { src: photo.thumbnail_url, alt: '', loading: 'lazy' }));
    }
    return node;
  }

  rejectionItem(rejection) {
    const node = this.item({
      name: rejection.filename, source: rejection.source, state: 'rejected', at: rejection.created_at,
      reason: rejection.reason,
    });
    node.querySelector('.live-item__thumb').append(el('span', { 'aria-hidden': 'true' }, '✕'));  // nothing was stored
    return node;
  }
}

function summaryText(c) {
  if (!c.total && !c.rejected) return 'Waiting for photos…';
  const parts = [`${plural(c.total, 'photo')}: ${c.queued} queued, ${c.processing} processing, ${c.done} done, ${c.failed} failed`];
  if (c.rejected) parts.push(`${plural(c.rejected, 'file')} refused`);
  return parts.join(' · ');
}

function clock(date) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

const root = document.getElementById('live');
if (root) new LiveView(root).poll();
