// While a large import is checked or applied in the background, fetch this page every three
// seconds and put the new progress into the status region (read out politely); reload once
// the work is done, so the preview or the result appears. No automatic page refresh: a meta
// refresh would move the reading position of screen readers (WCAG 2.2.1). Without JavaScript
// the link "Stand jetzt aktualisieren" does the same by hand.
(function () {
  "use strict";
  var region = document.getElementById("import-progress");
  if (!region) { return; }
  var timer = setInterval(function () {
    fetch(window.location.href, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("import-progress");
        if (!fresh) {
          clearInterval(timer);
          window.location.reload();
          return;
        }
        if (region.innerHTML !== fresh.innerHTML) { region.innerHTML = fresh.innerHTML; }
      })
      .catch(function () { /* a lost request: try again at the next tick */ });
  }, 3000);
})();
