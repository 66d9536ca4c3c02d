/* Behaviour every page may use, declared in the markup instead of inline event handlers (the
   Content-Security-Policy runs no inline script): [data-print] prints the page, a select with
   [data-autosubmit] submits its form when changed, a form with [data-once] cannot be sent twice
   (its buttons lock while the page loads the answer). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-print]");
    if (!trigger) return;
    event.preventDefault();
    window.print();
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) select.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-once]")) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // After this tick, so the pressed button's own name/value still goes with the form.
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
        button.disabled = true;
        button.classList.add("working");
      });
    }, 0);
  });
})();
