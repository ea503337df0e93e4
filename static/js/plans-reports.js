// Change reports: the "show deleted text" switch. Deleted words are shown by default; the
// switch hides them (and removed rows) by adding a class to the report. No inline scripts (CSP).
(function () {
  "use strict";
  function wire(toggle) {
    var report = document.getElementById(toggle.getAttribute("data-toggle-deletions"));
    if (!report) { return; }
    var apply = function () { report.classList.toggle("hide-deletions", !toggle.checked); };
    toggle.addEventListener("change", apply);
    apply();
  }
  document.querySelectorAll("[data-toggle-deletions]").forEach(wire);
})();
