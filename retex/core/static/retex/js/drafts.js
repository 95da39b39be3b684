/* Retex — drafts kept on the author's device, so that a long text is never lost.
   Every field of the form (not files, not the anti-robot field, not the security token) is
   saved in localStorage as the author types; on the next visit, a draft that differs from
   what the page shows is offered back. Pages that end a form clear its draft
   (data-draft-clear). */
(function () {
  "use strict";

  var store = (function () {
    try {
      var probe = "retex-probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage disabled: the form works as before
    }
  })();
  if (!store) {
    return;
  }

  document.querySelectorAll("[data-draft-clear]").forEach(function (element) {
    store.removeItem(element.dataset.draftClear);
  });

  var form = document.querySelector("form[data-draft-key]");
  if (!form) {
    return;
  }
  var key = form.dataset.draftKey;
  var lang = document.documentElement.lang || "fr";
  var banner = form.querySelector("[data-draft-banner]");
  var bannerText = form.querySelector("[data-draft-banner-text]");
  var status = form.querySelector("[data-draft-status]");
  var SKIPPED = [
    "csrfmiddlewaretoken", "upload_batch", "homepage", "remove_staged", "remove_attached",
    "_submit", "_search_territory"
  ];

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function pad(number) {
    return number < 10 ? "0" + number : String(number);
  }

  function formatTime(date) {
    if (lang.indexOf("fr") === 0) {
      return date.getHours() + "\u00a0h\u00a0" + pad(date.getMinutes()); // 14 h 32
    }
    return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }).format(date);
  }

  function formatDate(date) {
    var options = { day: "numeric", month: "long" };
    if (date.getFullYear() !== new Date().getFullYear()) {
      options.year = "numeric";
    }
    return new Intl.DateTimeFormat(lang, options).format(date);
  }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && SKIPPED.indexOf(element.name) === -1 &&
        ["file", "submit", "button", "reset"].indexOf(element.type) === -1;
    });
  }

  function collect() {
    var data = {};
    fields().forEach(function (element) {
      if (element.type === "checkbox") {
        data[element.name] = data[element.name] || [];
        if (element.checked) {
          data[element.name].push(element.value);
        }
      } else if (element.type === "radio") {
        if (!(element.name in data)) {
          data[element.name] = "";
        }
        if (element.checked) {
          data[element.name] = element.value;
        }
      } else {
        data[element.name] = element.value;
      }
    });
    return data;
  }

  function same(value, other) {
    if (Array.isArray(value) || Array.isArray(other)) {
      return JSON.stringify((value || []).slice().sort()) ===
        JSON.stringify((other || []).slice().sort());
    }
    return (value || "") === (other || "");
  }

  function differs(saved, current) {
    return Object.keys(saved).some(function (name) {
      return name in current && !same(saved[name], current[name]);
    });
  }

  function hasContent(saved) {
    return Object.keys(saved).some(function (name) {
      var value = saved[name];
      return Array.isArray(value) ? value.length > 0 : Boolean(value && value.trim());
    });
  }

  function apply(saved) {
    fields().forEach(function (element) {
      if (!(element.name in saved)) {
        return;
      }
      var value = saved[element.name];
      if (element.type === "checkbox") {
        element.checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
      } else if (element.type === "radio") {
        element.checked = element.value === value;
      } else {
        element.value = value;
      }
    });
    form.dispatchEvent(new CustomEvent("retex:draft-restored"));
  }

  function read() {
    try {
      var draft = JSON.parse(store.getItem(key));
      return draft && draft.fields ? draft : null;
    } catch (error) {
      return null;
    }
  }

  var pending = null; // a draft offered back, waiting for the author's choice
  var saveTimer = null;

  function save() {
    if (pending) {
      return; // never overwrite a draft the author has not chosen to restore or ignore
    }
    var now = new Date();
    try {
      store.setItem(key, JSON.stringify({ savedAt: now.getTime(), fields: collect() }));
    } catch (error) {
      return; // storage full: nothing to do but keep the page as it is
    }
    status.textContent = fill(form.dataset.textDraftSaved, { time: formatTime(now) });
  }

  function scheduleSave() {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(save, 500);
  }

  function firstField() {
    return fields().filter(function (element) {
      return element.type !== "hidden" && !element.disabled && element.offsetParent !== null;
    })[0];
  }

  function closeBanner() {
    pending = null;
    banner.hidden = true;
    var field = firstField();
    if (field) {
      field.focus();
    }
  }

  form.querySelector("[data-draft-restore]").addEventListener("click", function () {
    var draft = pending;
    apply(draft.fields);
    closeBanner();
    save();
    status.textContent = form.dataset.textDraftRestored;
  });

  form.querySelector("[data-draft-dismiss]").addEventListener("click", function () {
    store.removeItem(key);
    closeBanner();
    save();
  });

  form.addEventListener("input", scheduleSave);
  form.addEventListener("change", scheduleSave);
  form.addEventListener("retex:territory-chosen", scheduleSave);
  // Leaving the page right after typing: save now rather than in half a second.
  window.addEventListener("pagehide", function () {
    if (saveTimer) {
      window.clearTimeout(saveTimer);
      save();
    }
  });

  var draft = read();
  if (draft && hasContent(draft.fields) && differs(draft.fields, collect())) {
    pending = draft;
    var savedAt = new Date(draft.savedAt);
    bannerText.textContent = fill(form.dataset.textDraftFound, {
      date: formatDate(savedAt),
      time: formatTime(savedAt)
    });
    banner.hidden = false;
  }
})();
