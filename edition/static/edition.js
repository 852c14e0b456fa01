/* tei-edition: switch between the diplomatic and the reading view of editorial choices. */
(function () {
  "use strict";
  var KEY = "tei-edition-view";
  function apply(view) {
    document.body.classList.toggle("edition-reading", view === "reading");
    var button = document.querySelector(".edition-view-toggle button");
    if (button) {
      button.setAttribute("aria-pressed", view === "reading" ? "true" : "false");
      button.textContent = view === "reading" ? "Show the text as transcribed" : "Show corrected readings";
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.querySelector(".tei-choice-pair")) return;
    var stored = null;
    try { stored = window.localStorage.getItem(KEY); } catch (e) { /* private mode */ }
    var holder = document.createElement("p");
    holder.className = "edition-view-toggle";
    var button = document.createElement("button");
    button.type = "button";
    holder.appendChild(button);
    var meta = document.querySelector(".edition-meta");
    if (meta) meta.after(holder);
    button.addEventListener("click", function () {
      var view = document.body.classList.contains("edition-reading") ? "diplomatic" : "reading";
      try { window.localStorage.setItem(KEY, view); } catch (e) { /* private mode */ }
      apply(view);
    });
    apply(stored === "reading" ? "reading" : "diplomatic");
  });
})();
