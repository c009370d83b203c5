// Guest selfie page: show the chosen photo, search without leaving the page, and when the selfie
// holds several faces ask "which one is you?" (each face cut from the photo on this device; the
// server never stores the selfie, so choosing sends it again with face=<index>).
// A static file rather than an inline <script>, so the page works under a strict CSP.
(function () {
  var input = document.getElementById("selfie"), preview = document.getElementById("preview");
  var form = document.getElementById("selfie-form"), go = document.getElementById("go");
  var chooser = document.getElementById("choose-face"), alertBox = document.getElementById("selfie-error");
  if (!input || !preview || !form) return;

  input.addEventListener("change", function () {
    chooser.hidden = true;
    if (input.files && input.files[0]) { preview.src = URL.createObjectURL(input.files[0]); preview.hidden = false; }
  });

  function busy(on) {
    go.disabled = on;
    go.textContent = on ? "Looking for you…" : "Find my photos";
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
        if (!response.ok) throw new Error(body.error || "Something went wrong. Please try again.");
        return body;
      });
    });
  }

  function fail(error) {
    busy(false);
    alertBox.textContent = error.message;
    alertBox.hidden = false;
  }

  // One button per usable face, the searched one first: a crop of the face from the local photo.
  function choose(result) {
    var list = chooser.querySelector("ul");
    list.replaceChildren();
    result.faces.filter(function (f) { return f.usable; }).forEach(function (face, position) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "face-choice secondary";
      button.setAttribute("aria-label", position === 0 ? "This is me (the face we searched with)" : "This is me (face " + (position + 1) + ")");
      button.append(crop(face.box));
      button.addEventListener("click", function () {
        if (face.index === result.face) { window.location.assign(result.next); return; }
        chooser.hidden = true;
        search(face.index).then(function (chosen) { window.location.assign(chosen.next); }, fail);
      });
      var item = document.createElement("li");
      item.append(button);
      list.append(item);
    });
    busy(false);
    chooser.hidden = false;
    chooser.querySelector("h2").focus();
  }

  function crop(box) {
    var canvas = document.createElement("canvas"), side = 160;
    var w = box[2] - box[0], h = box[3] - box[1], margin = 0.25 * Math.max(w, h);
    var size = Math.max(w, h) + 2 * margin, x = (box[0] + box[2]) / 2 - size / 2, y = (box[1] + box[3]) / 2 - size / 2;
    canvas.width = side;
    canvas.height = side;
    canvas.getContext("2d").drawImage(preview, x, y, size, size, 0, 0, side, side);
    return canvas;
  }

  form.addEventListener("submit", function (event) {
    if (!window.fetch || !window.FormData) return;  // the plain form post still works
    event.preventDefault();
    search().then(function (result) {
      var usable = result.faces.filter(function (f) { return f.usable; });
      if (usable.length > 1) choose(result); else window.location.assign(result.next);
    }, fail);
  });
})();
