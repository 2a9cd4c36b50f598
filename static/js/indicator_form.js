// Show only the source settings that apply to the chosen kind of source. Without JavaScript
// all fields stay visible and their help texts say when they apply.
(function () {
  "use strict";
  var FIELDS = {
    manual: [],
    portal: ["portal_metric", "coverage_service", "coverage_topic"],
    csv_url: ["source_url", "ags"],
    json_url: ["source_url", "json_path", "ags"],
    genesis: ["genesis_table", "ags"]
  };
  var ALL = [
    "source_url", "json_path", "genesis_table", "portal_metric", "coverage_service",
    "coverage_topic", "ags"
  ];

  function update() {
    var kind = document.getElementById("id_source_kind");
    if (!kind) return;
    var shown = FIELDS[kind.value] || ALL;
    ALL.forEach(function (name) {
      var wrapper = document.getElementById("div_id_" + name);
      if (!wrapper) return;
      var column = wrapper.parentElement && /^col-md-/.test(wrapper.parentElement.className)
        ? wrapper.parentElement : wrapper;
      column.hidden = shown.indexOf(name) === -1;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var kind = document.getElementById("id_source_kind");
    if (!kind) return;
    kind.addEventListener("change", update);
    update();
  });
})();
