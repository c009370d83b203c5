// Person page: choose which face is the person's cover (the hero image and the people grid's card).
import { api } from './api.js';
import { changed } from './face_undo.js';
import { toast } from './ui.js';

const script = document.querySelector('script[data-cover-url]');
const { coverUrl, undoUrl } = script.dataset;
// Buttons only (aria-pressed is not allowed on the hero <img>, data-role="hero-cover").
const buttons = () => [...document.querySelectorAll('button[data-role="cover"]')];

function mark(faceId) {
  for (const button of buttons()) {
    const on = button.dataset.faceId === String(faceId);
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? 'Cover' : 'Make cover';
  }
  const hero = document.querySelector('.person-hero__face');
  if (hero) { hero.setAttribute('src', `/api/v1/faces/${faceId}/thumbnail`); hero.hidden = false; }
}

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-role="cover"]');
  if (!button || button.getAttribute('aria-pressed') === 'true') return;
  event.preventDefault(); // the tile is a label around a checkbox: do not toggle it
  try {
    const change = await api(coverUrl, { method: 'POST', json: { face_id: Number(button.dataset.faceId), page: document.querySelector('[data-undo-scope]')?.dataset.undoScope || 'person' } });
    mark(button.dataset.faceId);
    changed('Cover chosen', change, undoUrl, () => window.location.reload());
  } catch (error) {
    toast(error.message, { bad: true });
  }
});
