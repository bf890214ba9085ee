/* Starts Pagefind's search interface on the search page. A static file, not inline, so the
   site's strict Content-Security-Policy holds. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof window.PagefindUI !== "function") {
    return;
  }
  new window.PagefindUI({
    element: "#search",
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  var input = root.querySelector("input");
  if (input) {
    input.setAttribute("aria-label", root.getAttribute("data-search-label"));
  }
}());
