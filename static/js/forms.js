// Shared form helpers (progressive enhancement; the forms work without JavaScript).
// 1. After a failed save, move the focus to the list of errors at the top of the form.
// 2. Fields with a length limit (data-maxlength, set by core/form_help.py) show
//    how many characters are left. Nothing is cut off: the server says when text is too long.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.getElementById("fehlerliste");
    if (summary) {
      summary.focus();
    }
  }

  function addCounter(field) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!limit) {
      return;
    }
    var counter = document.createElement("div");
    counter.className = "form-text char-counter";
    counter.id = field.id + "-zaehler";
    // Polite live region, updated only when the limit is near, so screen readers stay calm.
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      var left = limit - field.value.length;
      if (left >= 0) {
        counter.textContent = "Noch " + left + " von " + limit + " Zeichen frei.";
        counter.classList.remove("text-danger", "fw-semibold");
      } else {
        counter.textContent = (-left) + " Zeichen zu viel: höchstens " + limit +
          " Zeichen, bitte kürzen.";
        counter.classList.add("text-danger", "fw-semibold");
      }
    }
    field.addEventListener("input", update);
    update();
  }

  function init() {
    focusSummary();
    var fields = document.querySelectorAll("[data-maxlength]");
    for (var i = 0; i < fields.length; i++) {
      addCounter(fields[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
