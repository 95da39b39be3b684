// The testimony page: copy its permanent address, print it. Without JavaScript the address
// stays readable and selectable, and the browser's own print command works.
(function () {
  "use strict";

  var actions = document.querySelector(".testimony-permalink [data-enhanced]");
  if (!actions) {
    return;
  }
  var status = document.querySelector(".testimony-permalink__status");
  var copyButton = actions.querySelector("[data-copy-target]");
  var printButton = actions.querySelector("[data-print]");

  function say(message) {
    status.textContent = "";
    // A fresh text node is announced again by screen readers, even when the same.
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function copyBySelection(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  copyButton.addEventListener("click", function () {
    var field = document.getElementById(copyButton.getAttribute("data-copy-target"));
    var copied = copyButton.getAttribute("data-copied-message");
    var failed = copyButton.getAttribute("data-failed-message");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () {
          say(copied);
        },
        function () {
          say(copyBySelection(field) ? copied : failed);
        }
      );
    } else {
      say(copyBySelection(field) ? copied : failed);
    }
  });

  printButton.addEventListener("click", function () {
    window.print();
  });

  actions.hidden = false;
})();
