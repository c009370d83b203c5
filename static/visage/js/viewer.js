// Guest photo viewer: the page works as plain links (previous, next, all photos); this adds swipe,
// arrow keys and Escape, and a Share button where the browser can share files. Pinch-zoom is the
// browser's own: while zoomed in, a swipe pans the photo instead of changing it.
import { canShareFiles, photoFile, shareFiles } from './guest_share.js';

const stage = document.getElementById('stage');
const img = stage.querySelector('img');
const link = (key) => document.querySelector(`[data-key="${key}"]`);
const go = (key) => { const target = link(key); if (target) window.location.assign(target.href); };
const zoomed = () => window.visualViewport && window.visualViewport.scale > 1.05;
const SWIPE_PX = 50;

document.addEventListener('keydown', (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key === 'ArrowLeft') go('prev');
  else if (event.key === 'ArrowRight') go('next');
  else if (event.key === 'Escape') go('back');
});

let start = null;
stage.addEventListener('pointerdown', (event) => {
  start = event.isPrimary && !zoomed() ? { x: event.clientX, y: event.clientY } : null;
});
stage.addEventListener('pointercancel', () => { start = null; });
stage.addEventListener('pointerup', (event) => {
  if (!start) return;
  const dx = event.clientX - start.x, dy = event.clientY - start.y;
  start = null;
  if (Math.abs(dx) < SWIPE_PX || Math.abs(dx) < 1.5 * Math.abs(dy)) return;
  stage.classList.add(dx < 0 ? 'is-leaving-left' : 'is-leaving-right');
  go(dx < 0 ? 'next' : 'prev');
});
if (window.visualViewport) {
  window.visualViewport.addEventListener('resize', () => document.body.classList.toggle('is-zoomed', zoomed()));
}

// The file is fetched as soon as the page opens: a share sheet must open within the tap's
// short user-activation window, too short for a download on a venue's Wi-Fi.
const share = document.getElementById('share');
if (share && img.dataset.file && canShareFiles()) {
  const label = share.textContent;
  share.hidden = false;
  share.disabled = true;
  share.textContent = share.dataset.preparing;
  photoFile(img.dataset.file, img.dataset.name).then((file) => {
    share.disabled = false;
    share.textContent = label;
    share.addEventListener('click', () => shareFiles([file]).catch(() => { share.hidden = true; }));
  }, () => { share.hidden = true; });
}
document.body.dataset.ready = 'true';
