/* Autocomplete for search boxes: <input data-suggest-url="/api/suggest/">.
 *
 * Progressive enhancement: without this script the box is a plain search form. With it, the
 * box becomes an ARIA combobox with a listbox of listed numbers, lenders and article titles; arrow keys move,
 * Enter opens the highlighted suggestion, Escape closes the list. No dependencies. */
(function () {
  "use strict";

  var DELAY = 150;
  var KIND_LABELS = {
    "zh-hans": { lender: "借贷产品", article: "文章", number: "官方号码" },
    "zh-hant": { lender: "借貸產品", article: "文章", number: "官方號碼" }
  };

  function language() {
    var lang = (document.documentElement.getAttribute("lang") || "zh-hans").toLowerCase();
    return lang.indexOf("zh-hant") === 0 ? "zh-hant" : "zh-hans";
  }

  function enhance(input, number) {
    var url = input.getAttribute("data-suggest-url");
    if (!url || !window.fetch) {
      return;
    }
    var lang = language();
    var listId = (input.id || "search") + "-suggestions-" + number;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", lang === "zh-hant" ? "搜尋建議" : "搜索建议");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var timer = null;
    var pending = null;
    var items = [];
    var active = -1;

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.element.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].element.id);
      items[active].element.scrollIntoView({ block: "nearest" });
    }

    function open(suggestion) {
      window.location.assign(suggestion.url);
    }

    function render(suggestions) {
      close();
      if (!suggestions.length || document.activeElement !== input) {
        return;
      }
      suggestions.forEach(function (suggestion, i) {
        if (!suggestion || typeof suggestion.url !== "string" || !/^\/(?!\/)/.test(suggestion.url)) {
          return;
        }
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.className = "suggestion suggestion-" + (suggestion.kind || "other");
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "suggestion-label";
        label.textContent = suggestion.label || suggestion.text || "";
        option.appendChild(label);
        var kind = (KIND_LABELS[lang] || {})[suggestion.kind];
        if (kind) {
          var tag = document.createElement("span");
          tag.className = "suggestion-kind";
          tag.textContent = kind;
          option.appendChild(document.createTextNode(" "));
          option.appendChild(tag);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box until we navigate
          open(suggestion);
        });
        list.appendChild(option);
        items.push({ element: option, suggestion: suggestion });
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function fetchSuggestions() {
      var value = input.value.trim();
      if (!value) {
        close();
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = window.AbortController ? new AbortController() : null;
      var address = url + "?q=" + encodeURIComponent(value.slice(0, 100)) + "&lang=" + lang;
      fetch(address, {
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (body) {
          if (input.value.trim() === value) {
            render(Array.isArray(body.suggestions) ? body.suggestions : []);
          }
        })
        .catch(function () {
          /* offline or aborted: the form still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Down") {
        if (items.length) {
          event.preventDefault();
          highlight(active + 1);
        }
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        if (items.length) {
          event.preventDefault();
          highlight(active - 1);
        }
      } else if (event.key === "Enter") {
        if (active >= 0 && items[active]) {
          event.preventDefault();
          open(items[active].suggestion);
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  var inputs = document.querySelectorAll("input[data-suggest-url]");
  for (var i = 0; i < inputs.length; i++) {
    enhance(inputs[i], i);
  }
})();
