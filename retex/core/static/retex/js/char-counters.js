/* Retex — live character counters for bounded fields.
   Without JavaScript the page says "6 000 characters at most"; with it, the count follows the
   typing, and screen readers hear about it only near the limit (politely, once typing pauses). */
(function () {
  "use strict";

  var form = document.querySelector("form[data-text-counter]");
  if (!form) {
    return;
  }
  var lang = document.documentElement.lang || "fr";
  var numbers = new Intl.NumberFormat(lang);
  var texts = {
    counter: form.dataset.textCounter,
    left: form.dataset.textCounterLeft,
    over: form.dataset.textCounterOver
  };

  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  form.appendChild(announcer);
  var announceTimer = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function setUp(field) {
    var counter = document.getElementById(field.id + "_counter");
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!counter || !limit) {
      return null;
    }
    // Within 10 % of the limit (and at least the last 20 characters), people want to know.
    var near = Math.max(20, Math.round(limit * 0.1));
    var lastAnnounced = null;

    function update(announce) {
      var length = field.value.length;
      var left = limit - length;
      counter.textContent = fill(texts.counter, {
        count: numbers.format(length),
        limit: numbers.format(limit)
      });
      counter.classList.toggle("field__counter--near", left <= near && left >= 0);
      counter.classList.toggle("field__counter--over", left < 0);
      if (!announce || left > near || left === lastAnnounced) {
        return;
      }
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () {
        lastAnnounced = left;
        announcer.textContent = left >= 0
          ? fill(texts.left, { left: numbers.format(left) })
          : fill(texts.over, { over: numbers.format(-left) });
      }, 1000);
    }

    field.addEventListener("input", function () {
      update(true);
    });
    update(false);
    return update;
  }

  var updates = [];
  form.querySelectorAll("[data-counter][maxlength]").forEach(function (field) {
    var update = setUp(field);
    if (update) {
      updates.push(update);
    }
  });
  // A restored draft changes values without typing.
  form.addEventListener("retex:draft-restored", function () {
    updates.forEach(function (update) {
      update(false);
    });
  });
})();
