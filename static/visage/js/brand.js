// A studio's colour on a page (guest pages' bar, the settings preview): set from data attributes through
// the CSSOM, which the strict CSP allows (no inline style). The server sent only #rrggbb values.
const HEX = /^#[0-9a-f]{6}$/;
for (const element of document.querySelectorAll('[data-brand-color]')) {
  const { brandColor, brandInk } = element.dataset;
  if (HEX.test(brandColor) && HEX.test(brandInk)) {
    element.style.setProperty('--brand', brandColor);
    element.style.setProperty('--brand-ink', brandInk);
    element.classList.add('is-branded');
  }
}
