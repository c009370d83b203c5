// Guest selfie page: show the chosen photo, and say we are working once the form is sent.
// A static file rather than an inline <script>, so the page works under a strict CSP.
(function () {
  var input = document.getElementById("selfie"), preview = document.getElementById("preview");
  if (!input || !preview) return;
  input.addEventListener("change", function () {
    if (input.files && input.files[0]) { preview.src = URL.createObjectURL(input.files[0]); preview.hidden = false; }
  });
  document.getElementById("selfie-form").addEventListener("submit", function () {
    var go = document.getElementById("go"); go.disabled = true; go.textContent = "Looking for you…";
  });
})();
