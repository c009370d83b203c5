// Guest selfie page: show the chosen photo, search without leaving the page, and when the selfie
// holds several faces ask "which one is you?" (each face cut from the photo on this device; the
// server never stores the selfie, so choosing sends it again with face=<index>).
// Texts come from the form's data-* attributes (translated by the template).
// A static file rather than an inline <script>, so the page works under a strict CSP.
(function () {
  var input = document.getElementById("selfie"), preview = document.getElementById("preview");
  var form = document.getElementById("selfie-form"), go = document.getElementById("go");
  var chooser = document.getElementById("choose-face"), alertBox = document.getElementById("selfie-error");
  var figure = document.querySelector(".selfie-preview"), faceCanvas = document.getElementById("preview-face");
  var note = document.getElementById("preview-note");
  if (!input || !preview || !form) return;
  var text = form.dataset, idleLabel = go.textContent;

  // Until the server says which face it searched, the whole selfie is shown (never a centre crop
  // that may cut the face off); afterwards the circle shows the searched face.
  function showChosen() {
    chooser.hidden = true;
    faceCanvas.hidden = true;
    preview.hidden = false;
    note.textContent = "";
    go.disabled = false;
    go.textContent = idleLabel;
    if (input.files && input.files[0]) { preview.src = URL.createObjectURL(input.files[0]); figure.hidden = false; }
  }
  input.addEventListener("change", showChosen);
  // A photo picked before this script ran (a slow phone) or kept by the browser on Back.
  if (input.files && input.files[0]) showChosen();

  function busy(on) {
    go.disabled = on;
    go.textContent = on ? text.busy : idleLabel;
  }

  function search(face) {
    var data = new FormData(form);
    if (face !== undefined) data.append("face", String(face));
    busy(true);
    alertBox.hidden = true;
    return fetch(form.action || window.location.href, {
      method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) throw new Error(body.error || text.failed);
        return body;
      });
    });
  }

  function fail(error) {
    busy(false);
    alertBox.textContent = error.message;
    alertBox.hidden = false;
  }

  function showSearchedFace(result) {
    var searched = result.faces.filter(function (f) { return f.index === result.face; })[0];
    if (!searched) return;
    draw(faceCanvas, searched.box, 320);
    faceCanvas.hidden = false;
    preview.hidden = true;
  }

  function open(next) {
    note.textContent = text.found;
    window.setTimeout(function () { window.location.assign(next); }, 350);
  }

  // One button per usable face, the searched one first: a crop of the face from the local photo.
  // The search button stays disabled while the guest chooses: a second search would not help.
  function choose(result) {
    var list = chooser.querySelector("ul");
    list.replaceChildren();
    result.faces.filter(function (f) { return f.usable; }).forEach(function (face, position) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "face-choice secondary";
      button.setAttribute("aria-label", position === 0 ? text.me : text.meOther.replace("%(number)s", String(position + 1)));
      var canvas = document.createElement("canvas");
      draw(canvas, face.box, 160);
      button.append(canvas);
      button.addEventListener("click", function () {
        if (face.index === result.face) { window.location.assign(result.next); return; }
        chooser.hidden = true;
        search(face.index).then(function (chosen) { window.location.assign(chosen.next); }, fail);
      });
      var item = document.createElement("li");
      item.append(button);
      list.append(item);
    });
    go.disabled = true;
    go.textContent = text.choose;
    chooser.hidden = false;
    chooser.scrollIntoView({ block: "start", behavior: "instant" });
    chooser.querySelector("h2").focus({ preventScroll: true });
  }

  function draw(canvas, box, side) {
    var w = box[2] - box[0], h = box[3] - box[1], margin = 0.25 * Math.max(w, h);
    var size = Math.max(w, h) + 2 * margin, x = (box[0] + box[2]) / 2 - size / 2, y = (box[1] + box[3]) / 2 - size / 2;
    canvas.width = side;
    canvas.height = side;
    canvas.getContext("2d").drawImage(preview, x, y, size, size, 0, 0, side, side);
  }

  form.addEventListener("submit", function (event) {
    if (!window.fetch || !window.FormData) return;  // the plain form post still works
    event.preventDefault();
    search().then(function (result) {
      showSearchedFace(result);
      var usable = result.faces.filter(function (f) { return f.usable; });
      if (usable.length > 1) choose(result); else open(result.next);
    }, fail);
  });
})();
