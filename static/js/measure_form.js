// Progressive enhancement of the measure form; without JavaScript everything still works.
(function () {
  "use strict";

  // Show only the goals of the chosen field of action (labels start with "Handlungsfeld <n>:").
  function filterGoals() {
    var field = document.getElementById("id_field_of_action");
    var container = document.getElementById("div_id_goals");
    if (!field || !container) return;
    var selected = field.options[field.selectedIndex];
    var number = selected && selected.value ? selected.text.split(".")[0].trim() : null;
    var visible = 0;
    container.querySelectorAll(".form-check").forEach(function (item) {
      var input = item.querySelector("input");
      var label = item.querySelector("label");
      var match = label && /^Handlungsfeld (\d+):/.exec(label.textContent.trim());
      var show = !number || (match && match[1] === number) || (input && input.checked);
      item.hidden = !show;
      if (show) visible += 1;
    });
    var hint = document.getElementById("goals-empty-hint");
    if (hint) hint.hidden = visible > 0;
  }

  // "Weitere beteiligte Kommune" adds a row from the formset's empty form.
  function addPartnerRow(event) {
    event.preventDefault();
    var template = document.getElementById("partner-empty-form");
    var total = document.getElementById("id_partners-TOTAL_FORMS");
    var rows = document.getElementById("partner-rows");
    if (!template || !total || !rows) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var select = document.getElementById("id_partners-" + index + "-municipality");
    if (select) select.focus();
  }

  // "Weiteres Haushaltsjahr" adds a row of the cost plan; focus moves to its year.
  function addCostRow(event) {
    event.preventDefault();
    var template = document.getElementById("cost-empty-form");
    var total = document.getElementById("id_costs-TOTAL_FORMS");
    var rows = document.getElementById("cost-rows");
    if (!template || !total || !rows) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var year = document.getElementById("id_costs-" + index + "-year");
    if (year) year.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var addCost = document.getElementById("add-cost-year");
    if (addCost) {
      addCost.hidden = false;
      addCost.addEventListener("click", addCostRow);
      var costNote = document.getElementById("cost-nojs-note");
      if (costNote) costNote.hidden = true;
    }
    var field = document.getElementById("id_field_of_action");
    if (field) {
      field.addEventListener("change", filterGoals);
      filterGoals();
    }
    var add = document.getElementById("add-partner");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", addPartnerRow);
      var note = document.getElementById("partner-nojs-note");
      if (note) note.hidden = true;
    }
  });
})();
