// Progressive enhancement of the measure form; without JavaScript everything still works.
// The "add a row" buttons of the cost plan and the partners: formset_rows.js.
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

  document.addEventListener("DOMContentLoaded", function () {
    var field = document.getElementById("id_field_of_action");
    if (field) {
      field.addEventListener("change", filterGoals);
      filterGoals();
    }
  });
})();
