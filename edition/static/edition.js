/* tei-edition: the reader's tools. Every page works without JavaScript; this adds
   - notes that open in place (a dialog next to the marker; Escape or the close button closes it),
   - the switch between the transcription and the corrected reading, kept across pages,
   - a filter for the indexes of persons, places, organisations and works,
   - the address of the page in "How to cite this page" when the edition has no html_baseurl.
   The search page has its own script (edition-search.js). */
(function () {
  "use strict";
  var VIEW_KEY = "tei-edition-view";

  /* -- reading / diplomatic view ------------------------------------------------------ */
  function applyView(view) {
    document.body.classList.toggle("edition-reading", view === "reading");
    var button = document.querySelector(".edition-view-toggle button");
    if (button) {
      button.setAttribute("aria-pressed", view === "reading" ? "true" : "false");
      button.textContent = view === "reading" ? "Show the text as transcribed" : "Show corrected readings";
    }
  }
  function storedView() {
    try { return window.localStorage.getItem(VIEW_KEY) === "reading" ? "reading" : "diplomatic"; }
    catch (e) { return "diplomatic"; }
  }
  function setupViewToggle() {
    applyView(storedView());
    if (!document.querySelector(".tei-choice-pair, .tei-del, .tei-add")) return;  // corrections, or changes
    var holder = document.createElement("p");
    holder.className = "edition-view-toggle";
    var button = document.createElement("button");
    button.type = "button";
    holder.appendChild(button);
    // after the reading key or the metadata; on a page without them (a register entry), under its title
    var anchor = document.querySelector(".edition-legend") || document.querySelector(".edition-meta") ||
      document.querySelector("[role=main] h1");
    if (anchor) anchor.after(holder);
    else (document.querySelector("[role=main]") || document.body).prepend(holder);
    button.addEventListener("click", function () {
      var view = document.body.classList.contains("edition-reading") ? "diplomatic" : "reading";
      try { window.localStorage.setItem(VIEW_KEY, view); } catch (e) { /* private mode */ }
      applyView(view);
    });
    applyView(storedView());
  }

  /* -- notes in place ---------------------------------------------------------------- */
  var popover = null, opener = null;
  function closeNote() {
    if (!popover || popover.hidden) return;
    popover.hidden = true;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    }
    opener = null;
  }
  function openNote(marker) {
    var note = document.getElementById(marker.getAttribute("href").slice(1));
    if (!note) return false;
    if (!popover) {
      popover = document.createElement("div");
      popover.id = "edition-note-popover";
      popover.className = "edition-note-popover";
      popover.setAttribute("role", "dialog");
      popover.setAttribute("aria-modal", "false");
      popover.setAttribute("aria-labelledby", "edition-note-popover-title");
      popover.tabIndex = -1;
      popover.hidden = true;
      popover.innerHTML = '<p class="edition-note-popover-head"><span id="edition-note-popover-title"></span>' +
        '<button type="button" class="edition-note-popover-close" aria-label="Close the note">×</button></p>' +
        '<div class="edition-note-popover-body"></div>';
      popover.querySelector("button").addEventListener("click", closeNote);
      document.body.appendChild(popover);
    }
    if (opener) opener.setAttribute("aria-expanded", "false");
    opener = marker;
    popover.querySelector("#edition-note-popover-title").textContent = "Note " + marker.textContent.trim();
    var body = popover.querySelector(".edition-note-popover-body");
    body.innerHTML = "";
    Array.prototype.forEach.call(note.childNodes, function (child) {
      if (!(child.classList && child.classList.contains("tei-backref"))) body.appendChild(child.cloneNode(true));
    });
    body.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });
    var box = marker.getBoundingClientRect();
    var width = Math.min(420, document.documentElement.clientWidth - 16);
    popover.style.width = width + "px";
    popover.style.left = Math.max(8, Math.min(box.left + window.scrollX - 24,
                                              window.scrollX + document.documentElement.clientWidth - width - 8)) + "px";
    popover.style.top = (box.bottom + window.scrollY + 6) + "px";
    popover.hidden = false;
    marker.setAttribute("aria-expanded", "true");
    popover.focus();
    return true;
  }
  function setupNotes() {
    document.querySelectorAll("a.tei-noteref").forEach(function (marker) {
      marker.setAttribute("aria-haspopup", "dialog");
      marker.setAttribute("aria-expanded", "false");
      marker.setAttribute("aria-controls", "edition-note-popover");
      marker.addEventListener("click", function (event) {
        if (opener === marker && popover && !popover.hidden) { event.preventDefault(); closeNote(); return; }
        if (openNote(marker)) event.preventDefault();
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeNote();
    });
    document.addEventListener("click", function (event) {
      if (popover && !popover.hidden && !popover.contains(event.target) &&
          !(event.target.closest && event.target.closest("a.tei-noteref"))) closeNote();
    });
  }

  /* -- indexes of persons, places, …: filter by name ----------------------------------- */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function setupIndexFilter() {
    var lists = document.querySelectorAll("ul.entry-index");
    if (!lists.length) return;
    var label = document.createElement("label");
    label.className = "entry-index-filter";
    label.textContent = "Filter by name ";
    var input = document.createElement("input");
    input.type = "search";
    var first = lists[0].querySelector("li a");  /* an example from this index, not from another edition */
    input.placeholder = first ? "e.g. " + first.textContent.split(/[,:]/)[0].trim() : "";
    input.autocomplete = "off";
    label.appendChild(input);
    var status = document.createElement("p");
    status.className = "entry-index-status";
    status.setAttribute("role", "status");
    var letters = document.querySelector(".entry-index-letters");
    (letters || lists[0]).before(label);
    label.after(status);
    input.addEventListener("input", function () {
      var query = fold(input.value.trim());
      var shown = 0;
      lists.forEach(function (list) {
        var visible = 0;
        list.querySelectorAll(":scope > li").forEach(function (item) {
          var match = !query || fold(item.textContent).indexOf(query) !== -1;
          item.hidden = !match;
          if (match) visible += 1;
        });
        list.hidden = visible === 0;
        var heading = list.previousElementSibling;
        if (heading && heading.classList.contains("entry-index-letter")) heading.hidden = visible === 0;
        shown += visible;
      });
      var words = [lists[0].dataset.singular || "entry", lists[0].dataset.plural || "entries"];
      status.textContent = query ? shown + " " + words[shown === 1 ? 0 : 1] + " found" : "";
    });
  }

  /* -- how to cite: the address of this page ------------------------------------------ */
  function setupCitation() {
    document.querySelectorAll("a.edition-cite-url[data-edition-here]").forEach(function (link) {
      var here = window.location.href.split("#")[0];
      link.href = here;
      link.textContent = here;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupViewToggle();
    setupNotes();
    setupIndexFilter();
    setupCitation();
  });
})();
