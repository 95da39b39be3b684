/* Retex — the list of testimonies, updated in place.

   Without this file the list is a plain GET form and links: every state is an address. With it,
   changing a filter, submitting the search, following a page or "remove this filter" link
   fetches the same address, swaps the parts of the page marked data-list-part (results,
   counts, filter options) and records the address in the history (back and forward work). The
   new count is read out through the page's aria-live status. The focus stays where it was,
   except after a link (a page, "remove this filter"): it then goes to the count of results. */
(function () {
  "use strict";

  var form = document.querySelector("[data-list-form]");
  if (!form || !window.fetch || !window.history.pushState || !window.DOMParser) {
    return;
  }
  var status = document.querySelector("[data-list-status]");
  var results = document.querySelector(".results");
  var pending = null;
  var timer = null;

  document.documentElement.classList.add("list-enhanced");

  function addressOf(formElement) {
    var params = new URLSearchParams();
    new FormData(formElement).forEach(function (value, name) {
      if (typeof value === "string" && value.trim() !== "") {
        params.append(name, value.trim());
      }
    });
    var query = params.toString();
    return formElement.action.split("?")[0] + (query ? "?" + query : "");
  }

  // Update the element that holds the focus without replacing it (a replaced element loses
  // the focus): a select gets its new options, anything else its new labels and counts.
  function updateInPlace(current, twin) {
    var selects = current.matches("select") ? [current] : current.querySelectorAll("select");
    if (selects.length) {
      Array.prototype.forEach.call(selects, function (select) {
        var other = twin.id === select.id ? twin : twin.querySelector("#" + CSS.escape(select.id));
        if (other) {
          select.innerHTML = other.innerHTML;
        }
      });
      return;
    }
    var labels = current.querySelectorAll("label[for]");
    if (!labels.length && !current.querySelector("input")) {
      current.innerHTML = twin.innerHTML;
      return;
    }
    Array.prototype.forEach.call(labels, function (label) {
      var other = twin.querySelector("label[for='" + CSS.escape(label.htmlFor) + "']");
      if (other) {
        label.innerHTML = other.innerHTML;
      }
    });
  }

  function syncPart(part, twin) {
    var active = document.activeElement;
    var keep = null;
    Array.prototype.forEach.call(part.children, function (child) {
      if (child.contains(active) && child.id) {
        keep = child;
      }
    });
    var fresh = Array.prototype.slice.call(twin.children);
    if (!keep) {
      var opened = {};
      Array.prototype.forEach.call(part.querySelectorAll("details[id][open]"), function (details) {
        opened[details.id] = true;
      });
      fresh.forEach(function (child) {
        if (child.matches("details[id]") && opened[child.id]) {
          child.open = true;
        }
      });
      part.replaceChildren.apply(part, fresh);
      return;
    }
    var keptTwin = null;
    fresh.forEach(function (child) {
      if (child.id === keep.id) {
        keptTwin = child;
      }
    });
    if (keptTwin) {
      updateInPlace(keep, keptTwin);
    }
    Array.prototype.slice.call(part.children).forEach(function (child) {
      if (child !== keep) {
        child.remove();
      }
    });
    var before = true;
    fresh.forEach(function (child) {
      if (child === keptTwin) {
        before = false;
      } else if (before) {
        part.insertBefore(child, keep);
      } else {
        part.appendChild(child);
      }
    });
  }

  function announce(text) {
    if (!status) {
      return;
    }
    // Emptied first so that the same text is read again.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function update(url, options) {
    options = options || {};
    if (pending) {
      pending.abort();
    }
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    if (results) {
      results.setAttribute("aria-busy", "true");
    }
    window
      .fetch(url, {
        headers: { Accept: "text/html" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        Array.prototype.forEach.call(document.querySelectorAll("[data-list-part]"), function (part) {
          var twin = page.querySelector("[data-list-part='" + part.getAttribute("data-list-part") + "']");
          if (twin) {
            syncPart(part, twin);
          }
        });
        document.title = page.title;
        var search = document.getElementById("filter-q");
        if (search && search !== document.activeElement) {
          search.value = new URL(url, window.location.href).searchParams.get("q") || "";
        }
        if (options.push !== false) {
          window.history.pushState({ retexList: true }, "", url);
        }
        var heading = document.getElementById("results-count");
        if (heading) {
          announce(heading.textContent.replace(/\s+/g, " ").trim());
          if (options.focusResults) {
            heading.focus({ preventScroll: true });
            heading.scrollIntoView({ block: "start" });
          }
        }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        // Whatever went wrong, the address itself still works.
        window.location.href = url;
      })
      .finally(function () {
        if (pending === controller) {
          pending = null;
          if (results) {
            results.removeAttribute("aria-busy");
          }
        }
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    update(addressOf(form));
  });

  // The order's select sits outside the form (form="filters"): listen on the document.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.form !== form || field.type === "search") {
      return;
    }
    // Browsers fire "change" at each arrow key in a closed select: wait for a pause.
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      update(addressOf(form));
    }, 300);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-list-link]");
    if (!link || event.defaultPrevented || event.button !== 0) {
      return;
    }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    // The link goes away with the part it is in: the focus goes to the count of results.
    update(link.href, { focusResults: true });
  });

  window.addEventListener("popstate", function () {
    update(window.location.href, { push: false });
  });
})();
