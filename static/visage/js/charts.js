// Inline SVG charts, drawn to the container's width (and redrawn when it changes).
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function whenSized(container, draw) {
  draw(container.clientWidth || 600);
  let width = container.clientWidth;
  new ResizeObserver(() => {
    if (Math.abs(container.clientWidth - width) > 8) { width = container.clientWidth; draw(width); }
  }).observe(container);
}

// Horizontal bars, one row per item: avatar, label, bar, value. Rows with href are links.
// Narrow containers (phones) put the label above its bar so names are not cut short.
export function barChart(container, rows, { title, unit = '' } = {}) {
  whenSized(container, (width) => {
    const stacked = width < 480;
    const rowHeight = stacked ? 58 : 40;
    const labelWidth = stacked ? width - 60 : Math.min(190, Math.round(width * 0.36));
    const barLeft = stacked ? 38 : labelWidth + 12;
    const barMax = Math.max(40, width - barLeft - 44);
    const max = Math.max(1, ...rows.map((r) => r.value));
    const height = rows.length * rowHeight;
    const chart = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'bar-chart' });
    chart.append(svg('title', {}, title));
    rows.forEach((row, index) => chart.append(barRow(row, index * rowHeight, { stacked, labelWidth, barLeft, barMax, max, unit })));
    container.replaceChildren(chart);
  });
}

function barRow(row, y, { stacked, labelWidth, barLeft, barMax, max, unit }) {
  const group = row.href ? svg('a', { href: row.href }) : svg('g');
  const middle = y + (stacked ? 29 : 20);
  const labelY = stacked ? y + 16 : middle;
  const barY = stacked ? y + 34 : middle - 10;
  const textLeft = row.image ? 38 : 0;
  if (row.image) {
    const clip = svg('clipPath', { id: `clip-${row.key}` });
    clip.append(svg('circle', { cx: 14, cy: middle, r: 14 }));
    group.append(clip, svg('image', { href: row.image, x: 0, y: middle - 14, width: 28, height: 28,
      'clip-path': `url(#clip-${row.key})`, preserveAspectRatio: 'xMidYMid slice' }));
  }
  const label = svg('text', { x: textLeft, y: labelY, class: 'bar-chart__label', 'dominant-baseline': 'middle' },
    truncate(row.label, labelWidth - textLeft));
  const length = Math.max(3, (row.value / max) * barMax);
  const bar = svg('rect', { x: barLeft, y: barY, width: length, height: stacked ? 14 : 20, rx: 5,
    class: `bar-chart__bar${row.muted ? ' is-muted' : ''}` });
  const value = svg('text', { x: barLeft + length + 8, y: barY + (stacked ? 7 : 10), class: 'bar-chart__value',
    'dominant-baseline': 'middle' }, `${row.value}${unit}`);
  group.append(svg('title', {}, `${row.label}: ${row.value}${unit}`), label, bar, value);
  return group;
}

function truncate(text, pixels) {
  const room = Math.max(4, Math.floor(pixels / 7.5));
  return text.length > room ? `${text.slice(0, room - 1)}…` : text;
}

// One 100% bar split into coloured segments, with a legend that states the numbers.
export function stackedBar(container, segments, { title } = {}) {
  const total = segments.reduce((sum, s) => sum + s.value, 0);
  whenSized(container, (width) => {
    const chart = svg('svg', { width, height: 28, viewBox: `0 0 ${width} 28`, role: 'img', class: 'stacked-bar' });
    chart.append(svg('title', {}, `${title}: ${segments.map((s) => `${s.label} ${s.value}`).join(', ')}`));
    chart.append(svg('rect', { x: 0, y: 0, width, height: 28, rx: 8, fill: '#e9ebf0' }));
    let x = 0;
    for (const segment of segments) {
      const w = total ? (segment.value / total) * width : 0;
      if (w > 0) chart.append(svg('rect', { x, y: 0, width: w, height: 28, fill: segment.color }));
      x += w;
    }
    const clip = svg('clipPath', { id: `round-${container.dataset.role}` });
    clip.append(svg('rect', { x: 0, y: 0, width, height: 28, rx: 8 }));
    chart.prepend(clip);
    [...chart.querySelectorAll('rect')].forEach((rect) => rect.setAttribute('clip-path', `url(#round-${container.dataset.role})`));
    container.replaceChildren(chart, legend(segments, total));
  });
}

function legend(segments, total) {
  const list = document.createElement('ul');
  list.className = 'legend';
  for (const segment of segments) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'legend__swatch';
    swatch.style.background = segment.color;
    const percent = total ? Math.round((100 * segment.value) / total) : 0;
    item.append(swatch, `${segment.label}`);
    const strong = document.createElement('strong');
    strong.textContent = `${segment.value.toLocaleString()} · ${percent}%`;
    item.append(strong);
    list.append(item);
  }
  return list;
}
