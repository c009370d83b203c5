// Guest grid: "Save all to your phone" shares the photos in batches through the share sheet (iOS:
// "Save Images" puts them in Photos, not Files), where the browser can share files; elsewhere the
// zip link stays the way to keep them all. Each batch needs its own tap (a share sheet opens only
// from a user gesture), so the next batch is fetched while the guest deals with the current one.
import { canShareFiles, photoFile, shareFiles } from './guest_share.js';

const BATCH = 10;  // Android's share sheet refuses large sets; ten photos stay well under its limits
const button = document.getElementById('save-all');
const status = document.getElementById('save-status');
const tiles = [...document.querySelectorAll('#grid [data-file]')].filter((tile) => tile.dataset.file);

function label(first) {
  const last = Math.min(first + BATCH, tiles.length);
  if (first === 0 && last === tiles.length) return button.dataset.label;
  return button.dataset.batch.replace('%(first)s', first + 1).replace('%(last)s', last).replace('%(count)s', tiles.length);
}

function prepare(first) {
  return Promise.all(tiles.slice(first, first + BATCH).map((tile) => photoFile(tile.dataset.file, tile.dataset.name)));
}

if (button && tiles.length && canShareFiles()) {
  let first = 0;
  let ready = prepare(0);
  button.hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = button.dataset.preparing;
    try {
      const files = await ready;
      if (!(await shareFiles(files))) { button.textContent = label(first); return; }
      first += BATCH;
      if (first >= tiles.length) { first = 0; status.textContent = button.dataset.done; }
      ready = prepare(first);
      button.textContent = label(first);
    } catch (error) {
      // Files that took longer than the tap's activation window: they are ready now, tap again.
      if (error.name === 'NotAllowedError') button.textContent = label(first);
      else button.hidden = true;  // the zip link below still works
    } finally {
      button.disabled = false;
    }
  });
  button.textContent = label(0);
}
document.body.dataset.ready = 'true';
