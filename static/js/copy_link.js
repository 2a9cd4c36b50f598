// "Link kopieren": copies the value of the field named by data-copy-target and says so in the
// status region named by data-copy-status (read out politely). The button is a real button
// (Enter and Space work) and is shown only where this script runs; without it, or where the
// clipboard is not allowed, the field's text is selected for copying by hand (Strg+C).
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-copy-target]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field || !status) { return; }
    button.hidden = false;
    function say(text) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
    function byHand() {
      field.focus();
      field.select();
      say("Der Link ist markiert. Kopieren Sie ihn mit Strg+C (Mac: Cmd+C).");
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say("Der Link ist kopiert. Fügen Sie ihn in Ihre Nachricht ein.");
        }, byHand);
      } else {
        byHand();
      }
    });
  });
})();
