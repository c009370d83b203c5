// The event page: wires the uploader, the processing monitor and the gallery together.
import { Gallery } from './gallery.js';
import { ProcessingMonitor } from './progress.js';
import { Uploader } from './uploader.js';

const root = document.getElementById('event-page');
const initial = JSON.parse(document.getElementById('initial-counters').textContent);

const gallery = new Gallery(root, { url: root.dataset.photosUrl, canShare: root.dataset.canShare === 'true' });

let refreshTimer = null;
// Processing changes many cards at once: refresh the gallery at most every few seconds.
function refreshSoon() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(async () => { refreshTimer = null; await gallery.refresh(); }, 1500);
}

const monitor = new ProcessingMonitor(document.getElementById('processing'), {
  url: root.dataset.eventUrl,
  initial,
  onChange: refreshSoon,
});

if (root.dataset.canUpload === 'true') {
  new Uploader(document.getElementById('upload'), {
    url: root.dataset.photosUrl,
    onBatchDone: (created) => { gallery.addUploaded(created); monitor.watch(); refreshSoon(); },
  });
}

if (initial.photos_pending > 0) monitor.watch();
// data-ready: the page is wired and its first content is shown (the browser tests wait for it).
gallery.loadPage(1).finally(() => { root.dataset.ready = 'true'; });
