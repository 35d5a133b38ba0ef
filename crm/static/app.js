/* Small enhancements for every page; each page works without them.
 * Forms marked data-confirm ask before an action that cannot be undone (revoking, emptying). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
}());
