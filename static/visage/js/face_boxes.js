// Faces over the studio's lightbox photo: "Faces" shows each face's box and name (a link to the
// person, or to the unassigned faces); "Tag a face" lets a curator drag a box around a face the
// detector missed (mouse, pen or touch). Boxes are in original pixels (EXIF orientation applied),
// so they are placed as fractions of the photo's width and height whatever size it is shown at.
import { api } from './api.js';
import { changed } from './face_undo.js';
import { el, toast } from './ui.js';

const dialog = document.getElementById('lightbox');
const stage = dialog.querySelector('.lightbox__stage');
const img = dialog.querySelector('[data-role="lightbox-img"]');
const toggle = dialog.querySelector('[data-role="faces-toggle"]');
const tag = dialog.querySelector('[data-role="faces-tag"]');
const overlay = el('div', { class: 'face-boxes', 'data-role': 'face-boxes', hidden: true });
img.after(overlay); // before the previous/next buttons, which stay on top
const MIN_DRAG_PX = 10;

let shown = false;
let drawing = false;
let faces = null; // {width, height, faces} of the photo shown
let loadedFor = null;

const photoId = () => dialog.dataset.photoId;
// URL templates carry 0 for the id (the last "/0/" in them).
const pageOf = (template, id) => {
  const at = template.lastIndexOf('/0/');
  return `${template.slice(0, at)}/${id}/${template.slice(at + 3)}`;
};

function nameOf(face) {
  if (face.person) return face.person.name || `Person ${face.person.id}`;
  if (face.set_aside === 'ignored') return 'Ignored';
  if (face.set_aside === 'not_face') return 'Not a face';
  return 'Unassigned';
}

// The overlay covers exactly the photo as drawn (object-fit: contain may leave bars around it).
function place() {
  const frame = img.getBoundingClientRect();
  const box = stage.getBoundingClientRect();
  const ratio = img.naturalWidth && img.naturalHeight ? img.naturalWidth / img.naturalHeight : frame.width / frame.height;
  let width = frame.width;
  let height = width / ratio;
  if (height > frame.height) { height = frame.height; width = height * ratio; }
  Object.assign(overlay.style, {
    left: `${frame.left - box.left + (frame.width - width) / 2}px`,
    top: `${frame.top - box.top + (frame.height - height) / 2}px`,
    width: `${width}px`,
    height: `${height}px`,
  });
}

function render() {
  overlay.replaceChildren();
  if (!faces) return;
  for (const face of faces.faces) {
    const [x1, y1, x2, y2] = face.box;
    const name = nameOf(face);
    const kind = face.person ? '' : (face.set_aside ? ' face-box--aside' : ' face-box--unassigned');
    const href = face.person ? pageOf(dialog.dataset.personPage, face.person.id) : dialog.dataset.unassignedPage;
    const box = el('a', { class: `face-box${kind}`, href, 'aria-label': `${name}: open`, 'data-face-id': face.id });
    Object.assign(box.style, {
      left: `${(100 * x1) / faces.width}%`,
      top: `${(100 * y1) / faces.height}%`,
      width: `${(100 * (x2 - x1)) / faces.width}%`,
      height: `${(100 * (y2 - y1)) / faces.height}%`,
    });
    box.append(el('span', { class: 'face-box__name', 'aria-hidden': 'true' }, name));
    overlay.append(box);
  }
}

async function load(force = false) {
  const id = photoId();
  if (!shown || !id || (!force && loadedFor === id)) return;
  loadedFor = id;
  faces = null;
  render();
  try {
    const answer = await api(pageOf(dialog.dataset.facesUrl, id));
    if (photoId() !== id) return;
    faces = answer;
    place();
    render();
    toggle.textContent = `Faces (${answer.faces.length})`;
  } catch (error) {
    loadedFor = null;
    toastInside();
    toast(error.message, { bad: true });
  }
}

function setShown(on) {
  shown = on;
  toggle.setAttribute('aria-pressed', String(on));
  overlay.hidden = !on;
  if (tag) tag.hidden = !on;
  if (!on) { setDrawing(false); toggle.textContent = 'Faces'; }
  place();
  load();
}

function setDrawing(on, { byKeyboard = false } = {}) {
  drawing = on;
  overlay.classList.toggle('is-drawing', on);
  if (tag) {
    tag.setAttribute('aria-pressed', String(on));
    tag.textContent = on ? 'Drag around a face…' : 'Tag a face';
  }
  if (keyBox) { keyBox.remove(); keyBox = null; }
  if (on && byKeyboard) startKeyboardBox();
}

// Keyboard drawing: a box in the middle of the photo that the arrow keys move (with Shift: resize);
// Enter adds the face, Escape cancels.
const KEY_STEP = 0.01; // of the photo's width or height per key press
let keyBox = null;
let keyRect = null; // fractions of the photo: {x, y, w, h}

function paintKeyBox() {
  Object.assign(keyBox.style, {
    left: `${100 * keyRect.x}%`, top: `${100 * keyRect.y}%`, width: `${100 * keyRect.w}%`, height: `${100 * keyRect.h}%`,
  });
}

function startKeyboardBox() {
  const side = 0.2;
  keyRect = { x: 0.5 - side / 2, y: 0.4 - side / 2, w: side, h: side * (faces ? faces.width / faces.height : 1) };
  keyBox = el('div', {
    class: 'face-draft', tabindex: '0', role: 'application',
    'aria-label': 'New face box. Arrow keys move it, Shift with arrow keys resizes it, Enter adds the face, Escape cancels.',
  });
  overlay.append(keyBox);
  paintKeyBox();
  keyBox.focus();
  keyBox.addEventListener('keydown', (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key === 'Enter' && faces) {
      event.preventDefault();
      const box = [keyRect.x * faces.width, keyRect.y * faces.height, keyRect.w * faces.width, keyRect.h * faces.height];
      addFace(box.map(Math.round));
      if (tag) tag.focus();
    } else if (moves[event.key]) {
      event.preventDefault();
      event.stopPropagation(); // not the lightbox's previous/next photo
      const [dx, dy] = moves[event.key].map((v) => v * KEY_STEP);
      if (event.shiftKey) {
        keyRect.w = Math.min(1 - keyRect.x, Math.max(0.02, keyRect.w + dx));
        keyRect.h = Math.min(1 - keyRect.y, Math.max(0.02, keyRect.h + dy));
      } else {
        keyRect.x = Math.min(1 - keyRect.w, Math.max(0, keyRect.x + dx));
        keyRect.y = Math.min(1 - keyRect.h, Math.max(0, keyRect.y + dy));
      }
      paintKeyBox();
    }
  });
}

// The modal dialog makes the rest of the page inert: while it is open, the toast (and its Undo)
// lives inside it.
function toastInside() {
  const box = document.getElementById('toast') || el('div', { id: 'toast', class: 'toast', role: 'status', 'aria-live': 'polite', hidden: true });
  if (box.parentElement !== dialog) dialog.append(box);
}
dialog.addEventListener('close', () => {
  const box = document.getElementById('toast');
  if (box && box.parentElement === dialog) document.body.append(box);
});

toggle.addEventListener('click', () => setShown(!shown));
// A click from the keyboard (Enter or Space: detail 0) starts a box the arrow keys place.
if (tag) tag.addEventListener('click', (event) => setDrawing(!drawing, { byKeyboard: event.detail === 0 }));
dialog.addEventListener('cancel', (event) => { if (drawing) { event.preventDefault(); setDrawing(false); } });
dialog.addEventListener('close', () => setDrawing(false));
img.addEventListener('load', () => { place(); load(); });
window.addEventListener('resize', place);
new MutationObserver(() => { setDrawing(false); load(); }).observe(dialog, { attributeFilter: ['data-photo-id'] });

// Drawing: a drag over the photo, kept inside it.
let start = null;
let draft = null;
const point = (event) => {
  const rect = overlay.getBoundingClientRect();
  return {
    x: Math.min(Math.max(event.clientX - rect.left, 0), rect.width),
    y: Math.min(Math.max(event.clientY - rect.top, 0), rect.height),
  };
};
const rectOf = (a, b) => ({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) });

overlay.addEventListener('pointerdown', (event) => {
  if (!drawing || !event.isPrimary) return;
  event.preventDefault();
  if (keyBox) { keyBox.remove(); keyBox = null; }
  overlay.setPointerCapture(event.pointerId);
  start = point(event);
  draft = el('div', { class: 'face-draft' });
  overlay.append(draft);
});
overlay.addEventListener('pointermove', (event) => {
  if (!start) return;
  const r = rectOf(start, point(event));
  Object.assign(draft.style, { left: `${r.x}px`, top: `${r.y}px`, width: `${r.w}px`, height: `${r.h}px` });
});
overlay.addEventListener('pointercancel', () => { start = null; if (draft) draft.remove(); });
overlay.addEventListener('pointerup', (event) => {
  if (!start) return;
  const r = rectOf(start, point(event));
  start = null;
  draft.remove();
  if (r.w < MIN_DRAG_PX || r.h < MIN_DRAG_PX || !faces) return;
  const scale = faces.width / overlay.getBoundingClientRect().width;
  addFace([r.x, r.y, r.w, r.h].map((v) => Math.round(v * scale)));
});

async function addFace(box) {
  const id = photoId();
  setDrawing(false);
  toastInside();
  try {
    const added = await api(pageOf(dialog.dataset.facesUrl, id), { method: 'POST', json: { box, page: `photo:${id}` } });
    const who = added.face.person ? `joined ${nameOf(added.face)}` : 'unassigned: name it on Unassigned faces';
    const how = added.landmarks_found ? '' : ' (no eyes or mouth found: aligned from the box alone)';
    changed(`Face added, ${who}${how}`, added, dialog.dataset.undoUrl, () => load(true));
    load(true);
  } catch (error) {
    toast(error.message, { bad: true });
  }
}
