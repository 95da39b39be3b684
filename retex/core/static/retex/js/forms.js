/* Retex — forms: the error summary takes the focus, and its links focus the field they name.
   Everything works without this file (the summary has autofocus, links are anchors). */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary], [data-notice]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    // Show the label and the message above the field, not only the field.
    var block = target.closest(".field") || target;
    block.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });
})();
