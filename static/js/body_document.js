// While a body's Vorlage is being rendered, ask every three seconds whether it is ready
// (a HEAD request to the Vorlage's address answers 202 while it is made); then show the
// download link in the live region, or reload to show a failure. Without JavaScript the page
// offers a link to look again.
(function () {
  "use strict";
  var el = document.getElementById("vorlage-state");
  if (!el) { return; }
  var timer = setInterval(function () {
    fetch(el.dataset.url, {method: "HEAD", credentials: "same-origin", cache: "no-store"})
      .then(function (r) {
        var state = r.headers.get("X-Render-State");
        if (state === "ready") {
          clearInterval(timer);
          el.querySelector("strong").textContent = "Die PDF-Datei ist fertig.";
          el.querySelectorAll("[data-when=busy]").forEach(function (part) { part.hidden = true; });
          el.querySelector("[data-when=ready]").hidden = false;
        } else if (state === "failed") {
          clearInterval(timer);
          window.location.reload();
        }
      });
  }, 3000);
})();
