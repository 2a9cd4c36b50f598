// The LeiKa field as a combobox (WAI-ARIA 1.2, list autocomplete): type part of a service's
// name or key, choose with the arrow keys and Enter; the field then holds the 14-digit key.
// Without JavaScript the field stays a plain text input for the key.
(function () {
  "use strict";

  var DELAY_MS = 200;
  var KEY = /^\d{14}$/;

  function enhance(input) {
    var url = input.getAttribute("data-service-search");
    var chosen = document.getElementById(input.getAttribute("data-service-name"));
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var hint = document.createElement("p");
    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var lastQuery = null;

    list.id = listId;
    list.className = "service-listbox";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gefundene Leistungen");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    hint.id = input.id + "-combobox-hint";
    hint.className = "form-text";
    hint.textContent =
      "Schon ein Teil des Namens (z. B. „Gewerbe“) zeigt passende Leistungen: mit den " +
      "Pfeiltasten wählen, mit der Eingabetaste übernehmen.";

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var describedBy = (input.getAttribute("aria-describedby") || "").split(/\s+/);
    describedBy.push(hint.id);
    if (chosen) describedBy.push(chosen.id);
    input.setAttribute("aria-describedby", describedBy.filter(Boolean).join(" "));

    var wrapper = document.createElement("div");
    wrapper.className = "service-combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    // The hint goes after the field's own help texts, before the chosen service's name.
    if (chosen) {
      chosen.parentNode.insertBefore(hint, chosen);
    } else {
      wrapper.parentNode.insertBefore(hint, wrapper.nextSibling);
    }
    wrapper.parentNode.appendChild(status);

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      options.forEach(function (option, i) {
        option.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var element = options[index].element;
      input.setAttribute("aria-activedescendant", element.id);
      element.scrollIntoView({ block: "nearest" });
    }

    function showChosen(name) {
      if (!chosen) return;
      chosen.textContent = "";
      if (!name) return;
      chosen.appendChild(document.createTextNode("Gewählte Leistung: "));
      var strong = document.createElement("strong");
      strong.textContent = name;
      chosen.appendChild(strong);
    }

    function choose(index) {
      var option = options[index];
      if (!option) return;
      input.value = option.key;
      showChosen(option.name);
      close();
      status.textContent = "Gewählt: " + option.name + ", Schlüssel " + option.key + ".";
    }

    function render(data) {
      list.textContent = "";
      options = data.results.map(function (service, i) {
        var element = document.createElement("li");
        element.id = listId + "-" + i;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.textContent = service.name;
        var key = document.createElement("span");
        key.className = "service-key";
        key.textContent = service.key;
        element.appendChild(name);
        element.appendChild(document.createTextNode(" "));
        element.appendChild(key);
        // mousedown would blur the input and close the list before the click.
        element.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        element.addEventListener("click", function () {
          choose(i);
        });
        list.appendChild(element);
        return { key: service.key, name: service.name, element: element };
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      var count = options.length;
      if (!count) {
        status.textContent = data.catalogue_empty
          ? "Der Leistungskatalog des Portals ist noch nicht eingelesen. Bitte geben Sie den " +
            "14-stelligen LeiKa-Schlüssel ein."
          : "Keine Leistung im Katalog gefunden.";
        close();
        return;
      }
      if (data.more) {
        status.textContent =
          "Mehr als " + count + " Leistungen gefunden, die ersten " + count +
          " stehen in der Liste. Geben Sie mehr vom Namen ein, um die Auswahl einzugrenzen.";
      } else {
        status.textContent =
          (count === 1 ? "1 Leistung gefunden" : count + " Leistungen gefunden") +
          ". Mit Pfeil nach unten wählen.";
      }
      open();
      // A typed complete key names its service at once.
      if (count === 1 && options[0].key === input.value.trim()) {
        showChosen(options[0].name);
      }
    }

    function search() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < 2) {
        options = [];
        list.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (answer) {
          if (ticket !== asked) return; // an answer to an older query
          if (!answer.ok) {
            options = [];
            close();
            status.textContent = answer.data.error || "Die Suche ist gerade nicht möglich.";
            return;
          }
          render(answer.data);
        })
        .catch(function () {
          if (ticket !== asked) return;
          status.textContent =
            "Die Suche ist gerade nicht möglich. Sie können den 14-stelligen Schlüssel eingeben.";
        });
    }

    input.addEventListener("input", function () {
      if (!KEY.test(input.value.trim())) showChosen("");
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var isOpen = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!options.length) return;
          event.preventDefault();
          if (!isOpen) {
            open();
            setActive(0);
          } else {
            setActive(active < options.length - 1 ? active + 1 : 0);
          }
          break;
        case "ArrowUp":
          if (!options.length) return;
          event.preventDefault();
          if (!isOpen) {
            open();
            setActive(options.length - 1);
          } else {
            setActive(active > 0 ? active - 1 : options.length - 1);
          }
          break;
        case "Enter":
          // Enter chooses the highlighted service instead of sending the form.
          if (isOpen && active >= 0) {
            event.preventDefault();
            choose(active);
          }
          break;
        case "Escape":
          if (isOpen) {
            event.preventDefault();
            close();
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-service-search]").forEach(enhance);
  });
})();
