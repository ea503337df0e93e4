// Plan editor: when an in-place request fails (the row was deleted meanwhile, the session
// expired, the server erred), say so in the alert region instead of silently doing nothing.
document.addEventListener("htmx:responseError", function (event) {
  var region = document.getElementById("plans-status");
  if (!region) { return; }
  var status = String(event.detail.xhr.status);
  region.textContent = region.getAttribute("data-msg-" + status) ||
    region.getAttribute("data-msg-other");
  region.hidden = false;
  region.focus();
});

// Keyboard and screen-reader users keep their place when a row, task or objective is swapped
// in place: into the form's first field when editing starts, back to its Edit link after a
// save or cancel.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.target;
  if (!target || !target.id) { return; }
  var swapped = document.getElementById(target.id);
  if (!swapped) { return; }
  var focusable = swapped.querySelector("textarea, input:not([type=hidden]), select") ||
    swapped.querySelector('[data-focus="' + target.id + '"]');
  if (focusable) { focusable.focus(); }
});
