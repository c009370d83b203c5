// Drag-and-drop upload in small batches with per-file and overall progress, per-file outcome
// from the API (created / duplicate / rejected + reason) and retry of failed batches.
import { csrfToken, detailOf } from './api.js';
import { el, formatBytes, plural } from './ui.js';

// Small batches (the page sets how many files, 4 by default): one lost connection or server
// error costs at most a few files, never the lot.
const BATCH_BYTES = 64 * 1024 * 1024;

const BADGES = {
  queued: ['Waiting', ''],
  uploading: ['Uploading', 'badge--accent'],
  created: ['Uploaded', 'badge--ok'],
  duplicate: ['Already here', 'badge--warn'],
  rejected: ['Rejected', 'badge--bad'],
  failed: ['Failed', 'badge--bad'],
};
const FINISHED = new Set(['created', 'duplicate', 'rejected']);

export class Uploader {
  constructor(root, { url, onBatchDone = () => {} }) {
    this.url = url;
    this.onBatchDone = onBatchDone;
    this.batchFiles = Number(root.dataset.batchFiles) || 4;
    this.parallel = Number(root.dataset.parallel) || 2;
    this.maxBytes = Number(root.dataset.maxBytes) || Infinity;
    this.items = [];
    this.active = 0;
    this.nextId = 1;
    this.$ = (role) => root.querySelector(`[data-role="${role}"]`);
    this.bindInputs(root);
  }

  bindInputs() {
    const zone = this.$('dropzone');
    const input = this.$('file-input');
    input.addEventListener('change', () => { this.add([...input.files]); input.value = ''; });
    zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('is-over'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('is-over'));
    zone.addEventListener('drop', async (event) => {
      event.preventDefault();
      zone.classList.remove('is-over');
      this.add(await droppedFiles(event.dataTransfer));
    });
    this.$('retry-all').addEventListener('click', () => this.retry(this.items.filter((i) => i.status === 'failed')));
    this.$('clear').addEventListener('click', () => this.clearFinished());
    window.addEventListener('beforeunload', (event) => {
      if (this.busy()) { event.preventDefault(); event.returnValue = ''; }
    });
  }

  busy() {
    return this.items.some((item) => item.status === 'queued' || item.status === 'uploading');
  }

  add(files) {
    for (const file of files) {
      const item = { id: this.nextId++, file, status: 'queued', loaded: 0, reason: '' };
      if (file.size > this.maxBytes) {  // the server would refuse it after the whole upload: say so now
        Object.assign(item, { status: 'rejected', reason: `${file.name}: larger than the ${formatBytes(this.maxBytes)} limit per file` });
      }
      item.row = this.buildRow(item);
      this.items.push(item);
      this.$('upload-list').append(item.row);
    }
    this.pump();
  }

  buildRow(item) {
    const name = item.file.name || 'unnamed';
    const row = el('li', { class: 'upload-item', 'data-file': name });
    const title = el('div', { class: 'upload-item__name', title: name }, name);
    title.append(el('span', { class: 'upload-item__size' }, formatBytes(item.file.size)));
    const side = el('div', { class: 'upload-item__side' });
    const retry = el('button', { type: 'button', class: 'btn btn--sm', hidden: true, 'aria-label': `Retry ${name}` }, 'Retry');
    retry.addEventListener('click', () => this.retry([item]));
    side.append(el('span', { class: 'badge' }), retry);
    const bar = el('progress', { class: 'thin', max: Math.max(item.file.size, 1), value: 0, 'aria-label': `Upload of ${name}` });
    row.append(title, side, bar, el('p', { class: 'upload-item__reason', hidden: true }));
    this.paint(item, row);
    return row;
  }

  paint(item, row = item.row) {
    const [label, tone] = BADGES[item.status];
    const badge = row.querySelector('.badge');
    const percent = Math.round((100 * item.loaded) / Math.max(item.file.size, 1));
    badge.className = `badge ${tone}`;
    badge.textContent = item.status === 'uploading' ? `${label} ${percent}%` : label;
    row.dataset.status = item.status;
    row.querySelector('button').hidden = item.status !== 'failed';
    const bar = row.querySelector('progress');
    bar.value = item.loaded;
    bar.hidden = FINISHED.has(item.status) || item.status === 'failed';
    const reason = row.querySelector('.upload-item__reason');
    reason.textContent = item.reason;
    reason.hidden = !item.reason;
  }

  pump() {
    while (this.active < this.parallel) {
      const batch = this.nextBatch();
      if (!batch.length) break;
      this.send(batch);
    }
    this.paintSummary();
  }

  nextBatch() {
    const batch = [];
    let bytes = 0;
    for (const item of this.items) {
      if (item.status !== 'queued') continue;
      if (batch.length && (batch.length >= this.batchFiles || bytes + item.file.size > BATCH_BYTES)) break;
      batch.push(item);
      bytes += item.file.size;
    }
    return batch;
  }

  send(batch) {
    this.active += 1;
    const form = new FormData();
    for (const item of batch) {
      Object.assign(item, { status: 'uploading', loaded: 0, reason: '' });
      form.append('files', item.file, item.file.name);
      this.paint(item);
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', this.url);
    xhr.setRequestHeader('X-CSRFToken', csrfToken());
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) this.spread(batch, event.loaded / event.total);
    });
    xhr.addEventListener('load', () => this.settle(batch, xhr.status, parseJson(xhr.responseText)));
    xhr.addEventListener('error', () => this.fail(batch, 'The connection was lost during the upload.'));
    xhr.addEventListener('timeout', () => this.fail(batch, 'The upload timed out.'));
    xhr.addEventListener('loadend', () => { this.active -= 1; this.pump(); });
    xhr.send(form);
  }

  // A multipart body carries the files in order, so the bytes sent fill them one after another.
  spread(batch, fraction) {
    let sent = fraction * batch.reduce((sum, item) => sum + item.file.size, 0);
    for (const item of batch) {
      item.loaded = Math.min(item.file.size, Math.max(0, sent));
      sent -= item.file.size;
      this.paint(item);
    }
    this.paintSummary();
  }

  settle(batch, status, body) {
    const results = body && Array.isArray(body.results) ? body.results : null;
    if (!results || results.length !== batch.length) {
      const why = status >= 500 ? `The server had a problem (${status}).` : detailOf(body) || `The upload was refused (${status}).`;
      this.fail(batch, why);
      return;
    }
    batch.forEach((item, index) => {
      const result = results[index];
      Object.assign(item, { status: result.status, loaded: item.file.size, reason: result.reason || '' });
      this.paint(item);
    });
    this.onBatchDone(results.filter((r) => r.status === 'created' && r.photo).map((r) => r.photo));
  }

  fail(batch, why) {
    for (const item of batch) {
      Object.assign(item, { status: 'failed', loaded: 0, reason: `${why} Nothing was lost: retry when ready.` });
      this.paint(item);
    }
  }

  retry(items) {
    for (const item of items) {
      Object.assign(item, { status: 'queued', loaded: 0, reason: '' });
      this.paint(item);
    }
    this.pump();
  }

  clearFinished() {
    this.items = this.items.filter((item) => {
      if (FINISHED.has(item.status)) item.row.remove();
      return !FINISHED.has(item.status);
    });
    this.paintSummary();
  }

  paintSummary() {
    const count = (status) => this.items.filter((i) => i.status === status).length;
    const total = this.items.reduce((sum, i) => sum + i.file.size, 0);
    const loaded = this.items.reduce((sum, i) => sum + (FINISHED.has(i.status) ? i.file.size : i.loaded), 0);
    const percent = total ? Math.round((100 * loaded) / total) : 0;
    const finished = this.items.filter((i) => FINISHED.has(i.status)).length;
    const failed = count('failed');
    this.$('summary').hidden = this.items.length === 0;
    this.$('overall').value = percent;
    this.$('overall').classList.toggle('is-ok', !this.busy() && failed === 0);
    this.$('retry-all').hidden = failed === 0;
    this.$('clear').hidden = finished === 0 || this.busy();
    this.$('summary-text').textContent = this.busy()
      ? `Uploading… ${finished + failed} of ${plural(this.items.length, 'file')} done · ${percent}%`
      : summaryText(count('created'), count('duplicate'), count('rejected'), failed);
  }
}

function summaryText(created, duplicate, rejected, failed) {
  const parts = [`${plural(created, 'photo')} uploaded`];
  if (duplicate) parts.push(`${duplicate} already in this event`);
  if (rejected) parts.push(`${rejected} rejected`);
  if (failed) parts.push(`${failed} failed`);
  return parts.join(' · ');
}

function parseJson(text) {
  try { return JSON.parse(text); } catch { return null; }
}

// Dropped folders are walked (photographers drop whole card dumps); hidden files are skipped.
async function droppedFiles(transfer) {
  const entries = [...(transfer.items || [])].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (!entries.some((entry) => entry.isDirectory)) return [...transfer.files];
  const files = [];
  const walk = async (entry) => {
    if (entry.name.startsWith('.')) return;
    if (entry.isFile) files.push(await new Promise((ok, ko) => entry.file(ok, ko)));
    else for (const child of await readAll(entry.createReader())) await walk(child);
  };
  for (const entry of entries) await walk(entry);
  return files;
}

async function readAll(reader) {
  const all = [];
  for (;;) {  // readEntries returns at most 100 entries per call
    const chunk = await new Promise((ok, ko) => reader.readEntries(ok, ko));
    if (!chunk.length) return all;
    all.push(...chunk);
  }
}
