/* Retex — single-key shortcuts of the moderation pages.
 *
 * An element with data-shortcut="p" is the target of the key "p": a link is followed, any other
 * element (a button, a field) gets the focus, so that nothing is decided by a key alone.
 * "?" opens or closes the list of shortcuts (details#shortcuts). Keys typed in a text box, with
 * Ctrl, Alt or Meta, never count. The shortcuts can be turned off, and the choice is kept on
 * the device (WCAG 2.1.4).
 */
(function () {
  "use strict";

  var STORAGE_KEY = "retex-moderation-shortcuts";
  var panel = document.querySelector("[data-shortcuts]");
  var toggle = document.querySelector("[data-shortcuts-toggle]");
  var checkbox = document.getElementById("shortcuts-enabled");

  function enabled() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) !== "off";
    } catch (error) {
      return true;
    }
  }

  if (toggle && checkbox) {
    toggle.hidden = false;
    checkbox.checked = enabled();
    checkbox.addEventListener("change", function () {
      try {
        window.localStorage.setItem(STORAGE_KEY, checkbox.checked ? "on" : "off");
      } catch (error) {
        /* private browsing: the choice lasts for this page only */
      }
    });
  }

  function typing(target) {
    if (!target || !target.tagName) {
      return false;
    }
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || target.isContentEditable) {
      return true;
    }
    if (tag !== "input") {
      return false;
    }
    var type = (target.getAttribute("type") || "text").toLowerCase();
    return ["checkbox", "radio", "button", "submit", "reset"].indexOf(type) === -1;
  }

  function go(target) {
    if (target.tagName.toLowerCase() === "a") {
      target.click();
      return;
    }
    var section = target.closest("details");
    if (section) {
      section.open = true;
    }
    target.focus();
    target.scrollIntoView({ block: "center" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    if (typing(event.target)) {
      return;
    }
    if (checkbox ? !checkbox.checked : !enabled()) {
      return;
    }
    if (event.key === "?" && panel) {
      event.preventDefault();
      panel.open = !panel.open;
      if (panel.open) {
        panel.querySelector("summary").focus();
      }
      return;
    }
    if (event.key.length !== 1) {
      return;
    }
    var key = event.key.toLowerCase();
    var target = document.querySelector('[data-shortcut="' + CSS.escape(key) + '"]');
    if (!target) {
      return;
    }
    event.preventDefault();
    go(target);
  });
})();
