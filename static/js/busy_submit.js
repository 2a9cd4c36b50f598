// Forms marked data-busy-text: once submitted, the button says what is happening and cannot
// be pressed twice, and a status line announces it (the request itself may take seconds).
// Without JavaScript the form works the same, only without this feedback.
(function () {
  "use strict";
  document.querySelectorAll("form[data-busy-text]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var status = document.getElementById(form.dataset.busyStatus);
      if (button) {
        button.disabled = true;
        button.textContent = form.dataset.busyText;
      }
      if (status) { status.textContent = form.dataset.busyText; }
    });
  });
})();
