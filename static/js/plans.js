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
