/* "Lämna sidan snabbt" on every public page. The link works without JavaScript; this makes it
   replace the page in the history (so Back does not return here) and adds the keyboard shortcut
   of GOV.UK's "Exit this page": Shift pressed three times in a row within five seconds. */
(function () {
  "use strict";

  var exit = document.querySelector("[data-quick-exit]");
  if (!exit) { return; }
  var PRESSES = 3;
  var WITHIN_MS = 5000;
  var presses = 0;
  var firstPressAt = 0;

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.hidden = true;
    window.location.replace(exit.href);
  }

  exit.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = 0;  // Shift as part of typing (a capital letter) never counts
      return;
    }
    if (event.repeat) { return; }  // holding Shift down is one press
    var now = Date.now();
    if (presses === 0 || now - firstPressAt > WITHIN_MS) {
      presses = 0;
      firstPressAt = now;
    }
    presses += 1;
    if (presses >= PRESSES) { leave(event); }
  });

  var keysHint = document.querySelector("[data-quick-exit-keys]");
  if (keysHint) { keysHint.hidden = false; }
})();
