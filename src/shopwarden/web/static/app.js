// shopwarden pages: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Back buttons on error pages.
  document.querySelectorAll("[data-back]").forEach(function (b) {
    if (history.length > 1) { b.hidden = false; b.addEventListener("click", function () { history.back(); }); }
  });
  // A form is sent once: its submit button is disabled after the first click.
  document.querySelectorAll("form[method=post]").forEach(function (f) {
    f.addEventListener("submit", function () {
      f.querySelectorAll("button[type=submit]").forEach(function (b) { setTimeout(function () { b.disabled = true; }, 0); });
    });
  });
  // An evidence file over the page's upload limit is flagged before it is sent.
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var max = parseInt(input.dataset.maxBytes, 10), file = input.files && input.files[0];
      input.setCustomValidity(file && file.size > max ? input.dataset.tooLarge : "");
      input.reportValidity();
    });
  });
})();
