// Progressive enhancement for the sections inline: "上移 / 下移" buttons that move a section
// and renumber the 顺序 fields 10, 20, 30… Without JavaScript editors type the numbers.
"use strict";
(function () {
  function rows(group) {
    return Array.from(group.querySelectorAll(".inline-related")).filter(function (row) {
      return !row.classList.contains("empty-form") && !row.id.endsWith("-empty");
    });
  }

  function inUse(row) {
    var id = row.querySelector("input[name$='-id']");
    var heading = row.querySelector("input[name$='-heading']");
    return (id && id.value) || (heading && heading.value.trim());
  }

  function renumber(group) {
    var n = 0;
    rows(group).forEach(function (row) {
      var order = row.querySelector("input.section-order");
      if (order && inUse(row)) {
        n += 10;
        order.value = n;
      }
    });
  }

  function addButtons(row) {
    var header = row.querySelector("h3");
    if (!header || header.querySelector(".section-order-buttons")) return;
    var box = document.createElement("span");
    box.className = "section-order-buttons";
    [["up", "上移"], ["down", "下移"]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.move = pair[0];
      button.textContent = pair[1];
      box.appendChild(button);
    });
    header.appendChild(box);
  }

  function move(button) {
    var row = button.closest(".inline-related");
    var group = button.closest(".inline-group");
    var list = rows(group);
    var index = list.indexOf(row);
    var target = button.dataset.move === "up" ? list[index - 1] : list[index + 1];
    if (!target) return;
    if (button.dataset.move === "up") target.before(row);
    else target.after(row);
    renumber(group);
    button.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var group = document.getElementById("sections-group");
    if (!group) return;
    rows(group).forEach(addButtons);
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (button) {
        event.preventDefault();
        move(button);
      }
    });
    document.addEventListener("formset:added", function (event) {
      if (event.target && event.target.closest && event.target.closest("#sections-group")) {
        addButtons(event.target);
      }
    });
  });
})();
