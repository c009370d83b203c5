// "Are these the same person?": the server's merge suggestions above the people grid, each with the
// two faces, how alike they are, Merge and Not the same (remembered by the server; Undo restores it).
// The pairs' people are fetched by id: they need not be on the grid's current page or filter.
import { api } from './api.js';
import { label, reloadWith } from './curation.js';
import { toast } from './ui.js';

const LIMIT = 6;

// How alike two mean faces are, in words (similarity is a cosine; the merge stage joins at 0.45).
function likeness(similarity) {
  if (similarity >= 0.45) return 'very alike';
  if (similarity >= 0.37) return 'alike';
  return 'somewhat alike';
}

export async function showSuggestions(root) {
  const section = root.querySelector('[data-role="suggestions"]');
  const list = section.querySelector('[data-role="suggestion-list"]');
  const reload = () => showSuggestions(root);
  let pairs = [];
  let people = [];
  try {
    pairs = await api(`${root.dataset.suggestionsUrl}?limit=${LIMIT}`);
    const ids = [...new Set(pairs.flatMap((s) => s.person_ids))];
    if (ids.length) people = await api(`${root.dataset.peopleUrl}?ids=${ids.join(',')}`);
  } catch (error) {
    section.hidden = true;
    return;
  }
  const byId = new Map(people.map((p) => [p.id, p]));
  const shown = pairs.filter((s) => s.person_ids.every((id) => byId.has(id)));
  list.replaceChildren(...shown.map((s) => card(root, s, s.person_ids.map((id) => byId.get(id)), reload)));
  section.hidden = shown.length === 0;
}

function card(root, suggestion, [a, b], reload) {
  const node = document.getElementById('suggestion-card').content.firstElementChild.cloneNode(true);
  node.dataset.personIds = suggestion.person_ids.join(',');
  node.querySelectorAll('img').forEach((img, k) => {
    const person = k === 0 ? a : b;
    img.alt = label(person);
    if (person.cover_thumbnail_url) img.src = person.cover_thumbnail_url; else img.remove();
  });
  const percent = Math.round(suggestion.similarity * 100);
  node.querySelector('.suggestion__text').textContent =
    `${label(a)} and ${label(b)}: ${likeness(suggestion.similarity)} (similarity ${percent} %)`;
  const merge = node.querySelector('[data-action="merge"]');
  const dismiss = node.querySelector('[data-action="dismiss"]');
  merge.setAttribute('aria-label', `Merge ${label(a)} and ${label(b)}`);
  dismiss.setAttribute('aria-label', `${label(a)} and ${label(b)} are not the same person`);
  merge.addEventListener('click', () => mergePair(root, a, b, reload));
  dismiss.addEventListener('click', () => dismissPair(root, a, b, reload));
  return node;
}

// As the grid's merge: a named person (or the most photographed) keeps its id.
async function mergePair(root, a, b, reload) {
  const [keep, other] = (b.name && !a.name) || (!a.name && b.photo_count > a.photo_count) ? [b, a] : [a, b];
  try {
    const merged = await api(`/api/v1/people/${keep.id}/merge/`, {
      method: 'POST', json: { person_ids: [other.id], scope: root.dataset.undoScope } });
    reloadWith(`Merged into ${label(merged)}`, merged.undo);
  } catch (error) {
    toast(error.message, { bad: true, ms: 9000 });
    await reload();
  }
}

async function dismissPair(root, a, b, reload) {
  const pair = { person_ids: [a.id, b.id] };
  try {
    await api(root.dataset.dismissUrl, { method: 'POST', json: pair });
    toast(`${label(a)} and ${label(b)} stay apart`, {
      actionLabel: 'Undo',
      onAction: async () => { await api(root.dataset.restoreUrl, { method: 'POST', json: pair }); await reload(); },
    });
  } catch (error) {
    toast(error.message, { bad: true });
  }
  await reload();
}

