/* Retex — choosing a local authority: an ARIA 1.2 combobox with a list popup.
   Without JavaScript the page offers a search button and radio buttons instead; this file
   replaces them with suggestions as one types, and asks the server what the consultation's
   audience rule says of the place chosen. */
(function () {
  "use strict";

  var picker = document.querySelector("[data-territory-picker]");
  if (!picker || !window.fetch) {
    return;
  }
  var input = picker.querySelector("#id_territory_query");
  var listbox = picker.querySelector("[role='listbox']");
  var status = picker.querySelector("[data-territory-status]");
  var verdict = picker.querySelector("[data-territory-verdict]");
  var form = input.form;
  var lang = document.documentElement.lang || "fr";
  var numbers = new Intl.NumberFormat(lang);
  var texts = picker.dataset;
  var MIN_LENGTH = 2;

  var results = [];
  var active = -1;
  var timer = null;
  var controller = null;

  // The search button is for pages without JavaScript; here, Enter must not search.
  var searchButton = picker.querySelector("[data-territory-search-button]");
  if (searchButton) {
    searchButton.remove();
  }
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("autocomplete", "off");

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function hiddenInput() {
    var hidden = form.querySelector("input[type='hidden'][name='territory']");
    if (!hidden) {
      // Radio buttons from a search without JavaScript give way to the combobox.
      var previous = picker.querySelector("[data-territory-results]");
      if (previous) {
        previous.remove();
      }
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "territory";
      hidden.setAttribute("data-territory-id", "");
      picker.insertBefore(hidden, verdict);
    }
    return hidden;
  }

  function isOpen() {
    return !listbox.hidden;
  }

  function open() {
    if (results.length) {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    setActive(-1);
  }

  function setActive(index) {
    var options = listbox.querySelectorAll("[role='option']");
    options.forEach(function (option, position) {
      var selected = position === index;
      option.setAttribute("aria-selected", selected ? "true" : "false");
      option.classList.toggle("is-active", selected);
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function detail(result) {
    var parts = [result.kind_label.charAt(0).toUpperCase() + result.kind_label.slice(1)];
    if (result.population_display) {
      parts.push(fill(texts.textInhabitants, { count: result.population_display }));
    }
    return parts.join(" · ");
  }

  function render() {
    listbox.textContent = "";
    results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = "territory-option-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "combobox__option";
      var name = document.createElement("span");
      name.className = "combobox__name";
      name.textContent = result.label;
      var more = document.createElement("span");
      more.className = "combobox__detail";
      more.textContent = detail(result);
      option.appendChild(name);
      option.appendChild(document.createTextNode(" "));
      option.appendChild(more);
      // Keep the focus in the box: a click must not blur it first.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      option.addEventListener("click", function () {
        choose(index);
      });
      listbox.appendChild(option);
    });
    active = -1;
    if (results.length) {
      open();
    } else {
      close();
    }
    if (results.length === 0) {
      status.textContent = texts.textResultsNone;
    } else if (results.length === 1) {
      status.textContent = texts.textResultsOne;
    } else {
      status.textContent = fill(texts.textResultsMany, { count: numbers.format(results.length) });
    }
  }

  function search() {
    var query = input.value.trim();
    if (controller) {
      controller.abort();
    }
    if (query.length < MIN_LENGTH) {
      results = [];
      listbox.textContent = "";
      close();
      return;
    }
    controller = new AbortController();
    var url = picker.dataset.searchUrl + "?kind=commune&kind=epci&limit=8&q=" +
      encodeURIComponent(query);
    fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        results = data.results || [];
        render();
      })
      .catch(function () { /* aborted by newer typing, or offline: the list stays as it was */ });
  }

  function showVerdict(data) {
    verdict.textContent = "";
    if (!data) {
      return;
    }
    var paragraph = document.createElement("p");
    paragraph.className = "verdict verdict--" + data.tone;
    var strong = document.createElement("strong");
    strong.textContent = data.message;
    paragraph.appendChild(strong);
    if (data.explanation) {
      paragraph.appendChild(document.createTextNode(" " + data.explanation));
    }
    verdict.appendChild(paragraph);
  }

  function fetchVerdict(territoryId) {
    if (!territoryId) {
      showVerdict(null);
      return;
    }
    var url = picker.dataset.audienceUrl + "?territory=" + encodeURIComponent(territoryId);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(showVerdict)
      .catch(function () { showVerdict(null); });
  }

  function choose(index) {
    var result = results[index];
    if (!result) {
      return;
    }
    input.value = result.label;
    hiddenInput().value = result.id;
    close();
    status.textContent = fill(texts.textChosen, { label: result.label });
    fetchVerdict(result.id);
    form.dispatchEvent(new CustomEvent("retex:territory-chosen"));
  }

  input.addEventListener("input", function () {
    // Typing again undoes the previous choice: the page never holds a name and another id.
    var hidden = form.querySelector("input[type='hidden'][name='territory']");
    if (hidden && hidden.value) {
      hidden.value = "";
      showVerdict(null);
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 200);
  });

  input.addEventListener("keydown", function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!isOpen()) {
          open();
          if (!results.length) {
            search();
          }
        }
        if (results.length) {
          setActive(event.altKey ? active : (active + 1) % results.length);
        }
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!isOpen()) {
          open();
        }
        if (results.length) {
          setActive(active <= 0 ? results.length - 1 : active - 1);
        }
        break;
      case "Enter":
        if (isOpen()) {
          event.preventDefault();
          if (active >= 0) {
            choose(active);
          } else if (results.length === 1) {
            choose(0);
          }
        }
        break;
      case "Escape":
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }
        break;
      case "Tab":
        close();
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", function () {
    close();
  });

  // A draft brought back sets the id and the name together: show what the rule says.
  form.addEventListener("retex:draft-restored", function () {
    var hidden = form.querySelector("input[type='hidden'][name='territory']");
    fetchVerdict(hidden ? hidden.value : "");
  });
})();
