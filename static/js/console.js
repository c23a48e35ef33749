/* Mottagningen's console: a copy button for the slip's text. The box is selectable without it. */
(function () {
  "use strict";

  var button = document.querySelector("[data-copy-text]");
  var status = document.querySelector("[data-copy-status]");
  if (!button || !navigator.clipboard) { return; }
  var box = document.getElementById(button.getAttribute("data-copy-text"));
  if (!box) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(box.value).then(function () {
      status.textContent = button.getAttribute("data-copied") || "";
    });
  });
})();
