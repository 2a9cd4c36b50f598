// "Add a row" buttons of formsets (progressive enhancement; without JavaScript the page offers
// an empty row after each save). A button
//   <button type="button" data-formset-add="PREFIX" data-template="ID" data-rows="ID"
//           data-focus="FIELD" data-nojs-note="ID" hidden>
// appends the <template>'s empty form (__prefix__ -> the next index, __number__ -> the row's
// number as people count), raises PREFIX-TOTAL_FORMS and moves the focus to the new row's FIELD.
(function () {
  "use strict";

  function addRow(button) {
    var prefix = button.dataset.formsetAdd;
    var template = document.getElementById(button.dataset.template);
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var rows = document.getElementById(button.dataset.rows);
    if (!template || !total || !rows) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = document.getElementById("id_" + prefix + "-" + index + "-" + button.dataset.focus);
    if (first) first.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-formset-add]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function (event) {
        event.preventDefault();
        addRow(button);
      });
      var note = button.dataset.nojsNote && document.getElementById(button.dataset.nojsNote);
      if (note) note.hidden = true;
    });
  });
})();
