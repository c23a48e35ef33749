/* Stödportalen guide: small improvements on top of pages that work without JavaScript. */
(function () {
  "use strict";

  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var copyButton = document.querySelector("[data-copy-link]");
  var copyStatus = document.querySelector("[data-copy-status]");
  if (copyButton && navigator.clipboard) {
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      navigator.clipboard.writeText(copyButton.getAttribute("data-copy-link")).then(function () {
        copyStatus.textContent = copyButton.getAttribute("data-copied") || "";
      });
    });
  }

  // Move focus to the error summary so screen readers hear what to fix first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
