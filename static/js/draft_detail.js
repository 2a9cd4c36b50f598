// While a PDF is queued or rendering, ask for its state every three seconds and reload the
// page once it is ready or failed. Without JavaScript the page states the render state anyway.
(function () {
  "use strict";
  var el = document.getElementById("render-state");
  if (!el || el.dataset.busy !== "1") { return; }
  var timer = setInterval(function () {
    fetch(el.dataset.statusUrl, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.render_state !== "queued" && data.render_state !== "rendering") {
          clearInterval(timer);
          window.location.reload();
        }
      });
  }, 3000);
})();
