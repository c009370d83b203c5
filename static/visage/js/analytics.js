// The analytics page: tiles, a bar chart of appearances per person, coverage and face splits.
import { api } from './api.js';
import { barChart, stackedBar } from './charts.js';
import { toast } from './ui.js';

const root = document.getElementById('analytics-page');
const $ = (role) => root.querySelector(`[data-role="${role}"]`);
const TOP = 10;

// People found are the groups of faces; named are those someone gave a name. Search latency stays in the
// API (timings.search_ms) for developers: the studio sees how many searches guests made.
function tiles(data, peopleCount, namedCount) {
  const { processed, with_recognised_person: found } = data.photos;
  const median = data.timings.processing_seconds.median;
  const values = {
    processed: processed.toLocaleString(),
    coverage: processed ? `${Math.round((100 * found) / processed)}%` : '–',
    people: `${peopleCount.toLocaleString()} · ${namedCount.toLocaleString()} named`,
    median: median === null ? '–' : median < 60 ? `${median.toFixed(1)} s` : `${(median / 60).toFixed(1)} min`,
    searches: data.timings.search_ms.searches.toLocaleString(),
  };
  for (const [key, value] of Object.entries(values)) root.querySelector(`[data-tile="${key}"]`).textContent = value;
  $('tiles').setAttribute('aria-busy', 'false');
}

function appearances(data, covers, showAll) {
  const rows = (showAll ? data.appearances : data.most_photographed).map((a) => ({
    key: a.person_id,
    label: a.hidden ? `${a.label} (hidden)` : a.label,
    value: a.photos,
    muted: a.hidden,
    image: covers.get(a.person_id),
    href: root.dataset.personPage ? root.dataset.personPage.replace(/\/0\/$/, `/${a.person_id}/`) : null,
  }));
  $('appearances-empty').hidden = rows.length > 0;
  $('appearances').hidden = rows.length === 0;
  if (rows.length) barChart($('appearances'), rows, { title: 'Photos per person, most photographed first' });
  $('appearances-table').tBodies[0].replaceChildren(...rows.map((row) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('td'), { textContent: row.label }),
      Object.assign(document.createElement('td'), { textContent: row.value }));
    return tr;
  }));
}

function splits(data) {
  const p = data.photos;
  stackedBar($('coverage'), [
    { label: 'People found', value: p.with_recognised_person, color: '#4338ca' },
    { label: 'Faces, nobody found yet', value: p.without_recognised_person - p.without_faces, color: '#a5b4fc' },
    { label: 'No faces', value: p.without_faces, color: '#cbd0da' },
  ], { title: 'Processed photos' });
  const f = data.faces;
  stackedBar($('faces'), [
    { label: 'Assigned to a person', value: f.assigned, color: '#15803d' },
    { label: 'Not yet grouped', value: f.unknown, color: '#86c59b' },
    { label: 'Too small or blurred', value: f.low_quality, color: '#cbd0da' },
  ], { title: 'Faces' });
}

async function main() {
  let data;
  let people = [];
  try {
    [data, people] = await Promise.all([api(root.dataset.analyticsUrl), api(root.dataset.peopleUrl).catch(() => [])]);
  } catch (error) {
    toast(`Analytics could not be loaded: ${error.message}`, { bad: true });
    return;
  }
  const covers = new Map(people.filter((p) => p.cover_thumbnail_url).map((p) => [p.id, p.cover_thumbnail_url]));
  tiles(data, data.appearances.length, people.filter((p) => p.name).length);  // both count hidden people too
  appearances(data, covers, false);
  splits(data);
  const toggle = $('show-all');
  toggle.hidden = data.appearances.length <= TOP;
  toggle.addEventListener('click', () => {
    const showAll = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', String(showAll));
    toggle.textContent = showAll ? `Show top ${TOP}` : 'Show everyone';
    appearances(data, covers, showAll);
  });
}

main().finally(() => { root.dataset.ready = 'true'; });
