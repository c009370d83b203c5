// Camera upload card (event page, new-password page): the Copy button copies the settings block.
import { copyText } from './dialogs.js';

document.querySelectorAll('#camera-upload [data-copy], #camera-password [data-copy]').forEach((button) =>
  button.addEventListener('click', () => copyText(document.querySelector(button.dataset.copy).value, 'Camera settings copied')));
