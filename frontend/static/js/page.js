/* Behaviour every page may use, declared in the markup instead of inline event handlers (the
   Content-Security-Policy runs no inline script): [data-print] prints the page, a select with
   [data-autosubmit] submits its form when changed. */
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
})();
