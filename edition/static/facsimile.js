/* tei-edition: the reading view, the page image beside the text. Loaded only on text pages with page images
   (the page's <script class="tei-facsimile-data">, written by the build); without JavaScript every page break
   links to its image instead.
   - Wide screens (1100 px and more): the image of the current page stands beside the text in a panel that
     stays in view. It follows the reader: the page whose break was last passed (scrolling), the page break
     chosen (its link), or the page picked in the panel (list, previous, next: the text goes there too).
     IIIF images zoom with OpenSeadragon (loaded only when a page is IIIF); other images are shown as they are.
   - Zones linked both ways: pointing at or focusing a part of the text linked to a zone lights the zone on the
     image; pointing at, focusing or choosing a zone lights that part of the text (and focusing or choosing
     brings it into view). Linked parts of the text are made focusable; zones are buttons named by their text.
   - Lines (a Transkribus export's lb/@facs, span.edition-facs-line): the marker of a line break linked to a zone
     stands for the line that follows it, to the next line or page break or the end of its block (a DOM Range).
     Pointing at a line's words, or focusing its marker (Tab), lights its zone; a zone lights the line's words
     (the CSS Custom Highlight API, else spans around the line's text made once). "Lines as in the source"
     breaks the text at its line breaks.
   - Narrow screens: the image opens on demand, in a dialog (a page break's link, or the "Page image" button);
     Escape or the close button closes it.
   No request is made but for the images (and a IIIF image's info.json). */
(function () {
  "use strict";
  var WIDE = window.matchMedia("(min-width: 1100px)");
  var READING_LINE = 0.4;  /* a page break counts as passed once it is above 40 % of the window's height */
  var ZOOM_STEP = 1.6;

  var data = null, pages = [], pageIndex = Object.create(null), zonesById = Object.create(null);
  var zonesByTarget = Object.create(null);  /* the id of a part of the text: the zones that name it */
  var breaks = [];  /* the page breaks with an image, in the text's order */
  var panel, stage, select, prevButton, nextButton, fullLink, status, zoomButtons, closeButton, dialog, toggle;
  var layout = null;  /* the element holding the text, laid out in two columns on a wide screen */
  var shown = -1, rendered = -1, followed = -1, renderToken = 0;
  var viewer = null, viewerHolder = null;
  var lit = { zones: [], texts: [], source: null };
  var hovered = null;  /* the part of the text lit because the pointer is on it */
  /* lines: a line break linked to a zone, and the words up to the next break */
  var lines = [], lineOf = new Map(), linesByBlock = new Map();
  var HIGHLIGHTS = !!(window.CSS && CSS.highlights && typeof window.Highlight === "function");
  var litLines = null, focusLines = null;  /* the highlights (CSS.highlights): lines lit, the line focused */
  var opener = null;

  function parseData() {
    var script = document.querySelector("script.tei-facsimile-data");
    if (!script) return null;
    try {
      var parsed = JSON.parse(script.textContent);
      return parsed && Array.isArray(parsed.pages) && parsed.pages.length ? parsed : null;
    } catch (e) {
      return null;
    }
  }

  function label(index) {
    var page = pages[index];
    return page && page.label ? String(page.label) : String(index + 1);
  }

  function safeUrl(value) {
    /* only web addresses (or files, on a site opened from disk): never javascript: or data: */
    if (typeof value !== "string" || !value) return "";
    try {
      var url = new URL(value, document.baseURI);
      var allowed = url.protocol === "http:" || url.protocol === "https:" ||
                    (url.protocol === "file:" && window.location.protocol === "file:");
      return allowed ? url.href : "";
    } catch (e) {
      return "";
    }
  }

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  /* -- the text's elements linked to a zone, and the zones of an element ---------------------------- */
  function textsOf(zoneId) {
    var found = [];
    var zone = zonesById[zoneId];
    (zone && Array.isArray(zone.zone.targets) ? zone.zone.targets : []).forEach(function (id) {
      var element = byId(id);
      if (element && found.indexOf(element) === -1) found.push(element);
    });
    document.querySelectorAll('[data-facs-zone~="' + CSS.escape(zoneId) + '"]').forEach(function (element) {
      if (found.indexOf(element) === -1) found.push(element);
    });
    return found;
  }
  function zonesOf(element) {
    var ids = (element.getAttribute("data-facs-zone") || "").split(/\s+/).filter(function (id) {
      return id && zonesById[id];
    });
    (element.id && zonesByTarget[element.id] || []).forEach(function (id) {
      if (ids.indexOf(id) === -1) ids.push(id);
    });
    return ids;
  }
  function wordsOf(element) {
    var line = lineOf.get(element);
    return line ? line.range.toString() : element.textContent;
  }
  function shortText(elements) {
    var text = elements.map(wordsOf).join(" ").replace(/\s+/g, " ").trim();
    return text.length > 80 ? text.slice(0, 79).trim() + "…" : text;
  }

  /* -- lines: from a line break linked to a zone to the next break ---------------------------------- */
  function blockOf(node) {
    for (var element = node.parentElement; element && element !== document.body; element = element.parentElement) {
      var display = window.getComputedStyle(element).display;
      if (display.indexOf("inline") !== 0 && display !== "contents") return element;
    }
    return document.body;
  }
  function setupLines() {
    var markers = document.querySelectorAll("span.edition-facs-line[data-facs-zone]");
    if (!markers.length) return;
    /* each break (a line's, a page's) in its block, in the text's order: a line ends at the next */
    var ends = new Map();
    document.querySelectorAll("span.tei-lb, span.tei-pb").forEach(function (element) {
      var block = blockOf(element);
      if (!ends.has(block)) ends.set(block, []);
      ends.get(block).push(element);
    });
    ends.forEach(function (breaksOfBlock, block) {
      breaksOfBlock.forEach(function (marker, index) {
        if (index === 0) {  /* the first line of a block, nothing before it: no break before it in "lines as in the source" */
          var before = document.createRange();
          before.setStart(block, 0);
          before.setEndBefore(marker);
          if (!before.toString().trim()) marker.classList.add("edition-facs-line-first");
        }
        if (!marker.matches("span.edition-facs-line[data-facs-zone]") || panel.contains(marker)) return;
        var zones = zonesOf(marker);
        if (!zones.length) return;
        var range = document.createRange();
        range.setStartAfter(marker);
        var next = breaksOfBlock[index + 1];
        if (next) range.setEndBefore(next); else range.setEnd(block, block.childNodes.length);
        if (!range.toString().trim()) marker.classList.add("edition-facs-line-empty");  /* its focus shown on it */
        var line = { marker: marker, block: block, range: range, zones: zones, parts: null };
        lines.push(line);
        lineOf.set(marker, line);
        if (!linesByBlock.has(block)) linesByBlock.set(block, []);
        linesByBlock.get(block).push(line);
      });
    });
    if (HIGHLIGHTS) {
      litLines = new window.Highlight();
      focusLines = new window.Highlight();
      focusLines.priority = 1;
      CSS.highlights.set("edition-facs-lit", litLines);
      CSS.highlights.set("edition-facs-focus", focusLines);
    } else {
      lines.forEach(wrapLine);
    }
  }
  function wrapLine(line) {
    /* without the Highlight API: each piece of the line's text in a span of its own (made once; its words unchanged) */
    var texts = [], walker = document.createTreeWalker(line.block, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.data.trim() && line.range.intersectsNode(node) && !line.marker.contains(node)) texts.push(node);
    }
    line.parts = texts.map(function (text) {
      var part = document.createElement("span");
      part.className = "edition-facs-line-part";
      text.parentNode.insertBefore(part, text);  /* then the text into it: the lines' ranges stay around it */
      part.appendChild(text);
      return part;
    });
  }
  function markLine(line, on, which) {
    if (line.parts) {
      line.parts.forEach(function (part) { part.classList.toggle(which, on); });
      return;
    }
    var highlight = which === "edition-facs-focus" ? focusLines : litLines;
    if (on) highlight.add(line.range); else highlight.delete(line.range);
  }
  function inside(rects, x, y) {
    for (var i = 0; i < rects.length; i += 1) {
      var box = rects[i];
      if (box.width > 0 && x >= box.left - 1 && x <= box.right + 1 && y >= box.top - 1 && y <= box.bottom + 1) return true;
    }
    return false;
  }
  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      var position = document.caretPositionFromPoint(x, y);
      return position ? { node: position.offsetNode, offset: position.offset } : null;
    }
    if (document.caretRangeFromPoint) {
      var range = document.caretRangeFromPoint(x, y);
      return range ? { node: range.startContainer, offset: range.startOffset } : null;
    }
    return null;
  }
  function lineAt(target, x, y) {
    /* the line whose words are under the pointer, in the innermost block with lines around the target: the
       line holding the caret's place at the pointer (found by halves: the lines are in the text's order), if
       the pointer is on its words; else each line's boxes */
    for (var element = target; element && element !== document.body; element = element.parentElement) {
      var candidates = linesByBlock.get(element);
      if (!candidates) continue;
      var caret = caretAt(x, y);
      if (caret && element.contains(caret.node)) {
        var low = 0, high = candidates.length - 1;
        while (low <= high) {
          var middle = (low + high) >> 1, side = candidates[middle].range.comparePoint(caret.node, caret.offset);
          if (side === 0) return inside(candidates[middle].range.getClientRects(), x, y) ? candidates[middle] : null;
          if (side < 0) high = middle - 1; else low = middle + 1;
        }
        return null;
      }
      for (var i = 0; i < candidates.length; i += 1) {
        if (inside(candidates[i].range.getClientRects(), x, y)) return candidates[i];
      }
      return null;
    }
    return null;
  }

  /* -- highlighting ------------------------------------------------------------------------------- */
  function unlight() {
    lit.zones.forEach(function (element) { element.classList.remove("edition-facs-lit"); });
    lit.texts.forEach(function (element) {
      element.classList.remove("edition-facs-lit");
      var line = lineOf.get(element);
      if (line) markLine(line, false, "edition-facs-lit");
    });
    lit = { zones: [], texts: [], source: null };
  }
  function light(zoneIds, source) {
    unlight();
    lit.source = source;
    zoneIds.forEach(function (id) {
      stage.querySelectorAll('.edition-facs-zone[data-zone="' + CSS.escape(id) + '"]').forEach(function (element) {
        element.classList.add("edition-facs-lit");
        lit.zones.push(element);
      });
      textsOf(id).forEach(function (element) {
        if (lit.texts.indexOf(element) === -1) {
          element.classList.add("edition-facs-lit");
          lit.texts.push(element);
          var line = lineOf.get(element);
          if (line) markLine(line, true, "edition-facs-lit");
        }
      });
    });
  }

  /* -- following the reader ----------------------------------------------------------------------- */
  function visible(element) {
    return element.getClientRects().length > 0;
  }
  function passedPage() {
    var line = window.innerHeight * READING_LINE, found = -1, first = -1;
    for (var i = 0; i < breaks.length; i += 1) {
      if (!visible(breaks[i].element)) continue;
      if (first === -1) first = breaks[i].page;
      if (breaks[i].element.getBoundingClientRect().top <= line) found = breaks[i].page;
      else break;
    }
    return found !== -1 ? found : (first !== -1 ? first : 0);
  }
  function follow() {
    var page = passedPage();
    if (page !== followed) {
      followed = page;
      show(page);
    }
  }
  function settle() {
    /* after the text was moved for the reader: what is passed now is where they are, not a new page */
    followed = passedPage();
  }
  function scrollToElement(element, block) {
    var box = element.getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= window.innerHeight) return;
    element.scrollIntoView({ block: block, behavior: "instant" });
  }
  function jump(index) {
    show(index);
    if (!WIDE.matches) return;
    var target = breaks.filter(function (item) { return item.page === index && visible(item.element); })[0];
    if (target) {
      target.element.scrollIntoView({ block: "start", behavior: "instant" });
      settle();
    }
  }

  /* -- showing a page ----------------------------------------------------------------------------- */
  function panelVisible() {
    return WIDE.matches || (dialog && dialog.open);
  }
  function show(index) {
    if (index < 0 || index >= pages.length) return;
    if (index !== shown) {
      shown = index;
      var page = pages[index];
      select.value = String(index);
      prevButton.disabled = index === 0;
      nextButton.disabled = index === pages.length - 1;
      status.textContent = "Page " + label(index) + ", " + (index + 1) + " of " + pages.length;
      var full = page.image && page.image.kind !== "none" ? safeUrl(page.image.full || page.image.url) : "";
      fullLink.hidden = !full;
      if (full) {
        fullLink.href = full;
        fullLink.setAttribute("aria-label", "Full image of page " + label(index));
      }
      breaks.forEach(function (item) {
        item.element.classList.toggle("edition-facs-current", item.page === index);
      });
    }
    if (panelVisible()) render();
  }

  function render() {
    if (rendered === shown) return;
    rendered = shown;
    renderToken += 1;
    unlight();
    var page = pages[shown], image = page.image || {};
    Array.prototype.slice.call(stage.children).forEach(function (child) {
      if (child !== viewerHolder) stage.removeChild(child);
    });
    zoomButtons.hidden = true;
    if (viewer) viewer.clearOverlays();
    if (image.kind === "iiif" && safeUrl(image.service) && typeof window.OpenSeadragon === "function") {
      renderDeepZoom(page, renderToken);
      return;
    }
    if (viewerHolder) viewerHolder.hidden = true;
    if ((image.kind === "iiif" || image.kind === "image") && safeUrl(image.url)) {
      renderPlain(page);
    } else if (image.kind === "link" && safeUrl(image.url || image.full)) {
      renderLink(shown, image);
    } else {
      var none = document.createElement("p");
      none.className = "edition-facs-note";
      none.textContent = "No image of page " + label(shown) + ".";
      stage.appendChild(none);
    }
  }

  function renderLink(index, image) {
    var note = document.createElement("p");
    note.className = "edition-facs-note";
    var link = document.createElement("a");
    link.href = safeUrl(image.full || image.url);
    link.textContent = "Image of page " + label(index) + " (a file your browser may not show)";
    note.appendChild(link);
    stage.appendChild(note);
  }

  function zoneButton(zone, index) {
    var texts = textsOf(zone.id);
    if (!texts.length) return null;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "edition-facs-zone";
    button.setAttribute("data-zone", zone.id);
    var words = shortText(texts);
    button.setAttribute("aria-label", (words ? "“" + words + "”" : "A part of the text") +
                        ", on page " + label(index));
    var ids = [zone.id];
    button.addEventListener("mouseenter", function () { light(ids, button); });
    button.addEventListener("mouseleave", function () { if (lit.source === button) unlight(); });
    button.addEventListener("focus", function () {
      light(ids, button);
      if (WIDE.matches) {
        scrollToElement(texts[0], "center");
        settle();
      }
    });
    button.addEventListener("blur", function () { if (lit.source === button) unlight(); });
    button.addEventListener("pointerdown", function (event) { event.stopPropagation(); });  /* not a drag */
    button.addEventListener("click", function () {
      if (dialog && dialog.open) {
        closeDialog(false);
        light(ids, null);
        texts[0].scrollIntoView({ block: "center", behavior: "instant" });
        settle();
        return;
      }
      light(ids, button);
      scrollToElement(texts[0], "center");
      settle();
    });
    return button;
  }

  function clipPath(zone) {
    if (!Array.isArray(zone.points) || zone.points.length < 3 || !(zone.w > 0) || !(zone.h > 0)) return "";
    return "polygon(" + zone.points.map(function (point) {
      return ((point[0] - zone.x) / zone.w * 100).toFixed(3) + "% " + ((point[1] - zone.y) / zone.h * 100).toFixed(3) + "%";
    }).join(", ") + ")";
  }

  function renderPlain(page) {
    var index = shown, image = page.image;
    var frame = document.createElement("div");
    frame.className = "edition-facs-plain";
    var img = document.createElement("img");
    img.src = safeUrl(image.url);
    img.alt = "Page " + label(index);
    img.decoding = "async";
    frame.appendChild(img);
    stage.appendChild(frame);
    var shownToken = renderToken;
    img.addEventListener("error", function () {  /* a file the browser does not show (tif, jp2): a link */
      if (shownToken !== renderToken || !frame.parentNode) return;
      stage.removeChild(frame);
      renderLink(index, image);
    });
    function place(width, height) {
      frame.style.setProperty("--edition-facs-ratio", width + " / " + height);
      frame.style.setProperty("--edition-facs-ratio-number", String(width / height));
      (page.zones || []).forEach(function (zone) {
        var button = zoneButton(zone, index);
        if (!button) return;
        button.style.left = (zone.x / width * 100) + "%";
        button.style.top = (zone.y / height * 100) + "%";
        button.style.width = (zone.w / width * 100) + "%";
        button.style.height = (zone.h / height * 100) + "%";
        var clip = clipPath(zone);
        if (clip) button.style.clipPath = clip;
        frame.appendChild(button);
      });
    }
    if (page.width > 0 && page.height > 0) {
      place(page.width, page.height);
    } else {  /* the zones are in the image's own pixels */
      var token = renderToken;
      img.addEventListener("load", function () {
        if (token === renderToken && img.naturalWidth && img.naturalHeight) place(img.naturalWidth, img.naturalHeight);
      });
    }
  }

  function renderDeepZoom(page, token) {
    var index = shown;
    if (!viewer) {
      viewerHolder = document.createElement("div");
      viewerHolder.className = "edition-facs-deepzoom";
      stage.appendChild(viewerHolder);
      var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      viewer = window.OpenSeadragon({
        element: viewerHolder,
        showNavigationControl: false,
        showNavigator: false,
        drawer: "canvas",
        preserveImageSizeOnResize: true,
        visibilityRatio: 0.5,
        animationTime: still ? 0 : 0.8,
        springStiffness: still ? 100 : 6.5,
        gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
        gestureSettingsTouch: { clickToZoom: false }
      });
      viewer.canvas.setAttribute("aria-roledescription", "zoomable image");
      viewer.canvas.setAttribute("role", "group");  /* it holds the zones, buttons: not an img */
    }
    viewerHolder.hidden = false;
    viewer.canvas.setAttribute("aria-label", "Page " + label(index) + ": zoom with + and −, move with the arrow keys");
    zoomButtons.hidden = false;
    viewer.clearOverlays();
    viewer.addOnceHandler("open", function () {
      if (token !== renderToken) return;
      var item = viewer.world.getItemAt(0);
      var size = item.getContentSize();
      var width = page.width > 0 ? page.width : size.x, height = page.height > 0 ? page.height : size.y;
      var sx = 1 / width, sy = (size.y / size.x) / height;  /* the page's coordinates in the viewer's */
      (page.zones || []).forEach(function (zone) {
        var button = zoneButton(zone, index);
        if (!button) return;
        var clip = clipPath(zone);
        if (clip) button.style.clipPath = clip;
        viewer.addOverlay({ element: button,
                            location: new window.OpenSeadragon.Rect(zone.x * sx, zone.y * sy, zone.w * sx, zone.h * sy) });
      });
    });
    viewer.addOnceHandler("open-failed", function () {
      if (token !== renderToken) return;
      viewerHolder.hidden = true;
      zoomButtons.hidden = true;
      renderPlain(page);  /* the service did not answer: its image at a size, as without deep zoom */
    });
    viewer.open(safeUrl(page.image.service) + "/info.json");
  }

  /* -- the panel ---------------------------------------------------------------------------------- */
  function button(className, text, name) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    if (name) element.setAttribute("aria-label", name);
    return element;
  }
  function buildPanel() {
    panel = document.createElement("section");
    panel.className = "edition-facs";
    panel.id = "edition-facs";
    panel.setAttribute("aria-label", "Page images");
    var bar = document.createElement("div");
    bar.className = "edition-facs-bar";
    prevButton = button("edition-facs-prev", "‹", "Previous page");
    nextButton = button("edition-facs-next", "›", "Next page");
    var pick = document.createElement("label");
    pick.className = "edition-facs-pick";
    var pickName = document.createElement("span");
    pickName.className = "edition-facs-sr";
    pickName.textContent = "Page";
    select = document.createElement("select");
    pages.forEach(function (page, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = "p. " + label(index);
      select.appendChild(option);
    });
    pick.appendChild(pickName);
    pick.appendChild(select);
    zoomButtons = document.createElement("span");
    zoomButtons.className = "edition-facs-zoom";
    zoomButtons.hidden = true;
    var zoomIn = button("edition-facs-zoom-in", "+", "Zoom in");
    var zoomOut = button("edition-facs-zoom-out", "−", "Zoom out");
    var home = button("edition-facs-home", "⤢", "Whole page");
    zoomButtons.append(zoomIn, zoomOut, home);
    fullLink = document.createElement("a");
    fullLink.className = "edition-facs-full";
    fullLink.textContent = "Full image";
    closeButton = button("edition-facs-close", "×", "Close the page image");
    bar.append(prevButton, pick, nextButton, zoomButtons, fullLink, closeButton);
    status = document.createElement("p");
    status.className = "edition-facs-status";
    status.setAttribute("role", "status");
    stage = document.createElement("div");
    stage.className = "edition-facs-stage";
    panel.append(bar, status, stage);

    prevButton.addEventListener("click", function () { jump(shown - 1); });
    nextButton.addEventListener("click", function () { jump(shown + 1); });
    select.addEventListener("change", function () { jump(Number(select.value)); });
    zoomIn.addEventListener("click", function () { if (viewer) viewer.viewport.zoomBy(ZOOM_STEP); });
    zoomOut.addEventListener("click", function () { if (viewer) viewer.viewport.zoomBy(1 / ZOOM_STEP); });
    home.addEventListener("click", function () { if (viewer) viewer.viewport.goHome(); });
    closeButton.addEventListener("click", function () { closeDialog(true); });
  }

  /* -- narrow screens: the image on demand, in a dialog ----------------------------------------------- */
  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "edition-facs-dialog";
    dialog.setAttribute("aria-label", "Page image");
    dialog.addEventListener("close", function () {
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    });
    document.body.appendChild(dialog);
    toggle = button("edition-facs-toggle", "Page image", "");
    toggle.setAttribute("aria-haspopup", "dialog");
    toggle.addEventListener("click", function () { openDialog(shown, toggle); });
    document.body.appendChild(toggle);
  }
  function openDialog(index, from) {
    if (dialog.open) { show(index); return; }
    opener = from || null;
    dialog.appendChild(panel);
    dialog.showModal();
    show(index);
    render();
    closeButton.focus();
  }
  function closeDialog(restore) {
    if (!dialog.open) return;
    if (!restore) opener = null;
    dialog.close();
  }

  function arrange() {
    var wide = WIDE.matches;
    document.body.classList.toggle("edition-facs-wide", wide);
    if (layout) layout.classList.toggle("edition-facs-layout", wide);
    if (wide) {
      if (dialog.open) closeDialog(false);
      if (panel.parentNode !== layout) {
        var text = layout.querySelector(":scope > section#text") || layout.lastElementChild;
        if (text) text.after(panel); else layout.appendChild(panel);
      }
      panel.style.gridRow = "1 / span " + Math.max(1, layout.children.length - 1);
      render();
    } else if (panel.parentNode !== dialog) {
      dialog.appendChild(panel);
      panel.style.gridRow = "";
    }
    breaks.forEach(function (item) {
      var link = item.element.querySelector("a.tei-pb-image");
      if (link) {
        if (wide) link.removeAttribute("aria-haspopup");
        else link.setAttribute("aria-haspopup", "dialog");
        link.setAttribute("aria-controls", "edition-facs");
      }
    });
  }

  /* -- the text line by line, as the source has it (when its line breaks are linked to zones) ------ */
  function buildLineToggle() {
    var first = lines[0].marker;
    var before = first.closest(".tei-body") || lines[0].block;
    var holder = document.createElement("p");
    holder.className = "edition-facs-lines-switch";
    var choice = button("edition-facs-lines-toggle", "Lines as in the source", "");
    choice.setAttribute("aria-pressed", "false");
    choice.addEventListener("click", function () {
      var on = choice.getAttribute("aria-pressed") !== "true";
      choice.setAttribute("aria-pressed", String(on));
      document.body.classList.toggle("edition-facs-lines", on);
      if (document.activeElement === choice) scrollToElement(choice, "nearest");
    });
    holder.appendChild(choice);
    before.parentNode.insertBefore(holder, before);
  }

  /* -- the text: page breaks and linked elements --------------------------------------------------- */
  function setupText() {
    document.querySelectorAll("[data-facs-zone]").forEach(function (element) {
      if (!zonesOf(element).length) return;
      element.classList.add("edition-facs-linked");
      if (element.tabIndex < 0 && !element.matches("a[href], button, input, select, textarea")) element.tabIndex = 0;
    });
    setupLines();
    lines.forEach(function (line) {  /* a line's marker, reached with Tab: named by the line's words */
      var words = shortText([line.marker]);
      line.marker.setAttribute("role", "note");
      line.marker.setAttribute("aria-label", words ? "line: " + words : "a line");
    });
    if (lines.length) buildLineToggle();
    document.addEventListener("click", function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
          event.altKey || !event.target.closest) return;
      var pb = event.target.closest("span.tei-pb[data-facs-page]");
      if (!pb || !(pb.getAttribute("data-facs-page") in pageIndex)) return;
      var index = pageIndex[pb.getAttribute("data-facs-page")];
      var link = event.target.closest("a.tei-pb-image");
      if (link) event.preventDefault();
      if (WIDE.matches) show(index);
      else if (link) openDialog(index, link);
    });
    function source(event) {
      var element = event.target.closest && event.target.closest(".edition-facs-linked");
      return element && !panel.contains(element) ? element : null;
    }
    function point(event) {
      /* the words under the pointer: their line's zone, else those of the linked part of the text around them */
      var target = event.target;
      if (!target || !target.closest || panel.contains(target)) target = null;
      var line = target && lines.length ? lineAt(target, event.clientX, event.clientY) : null;
      var element = line ? line.marker : (target ? source(event) : null);
      if (element && element === lit.source) return;
      var zones = element ? zonesOf(element).filter(function (id) { return zonesById[id].page === shown; }) : [];
      if (zones.length) {
        light(zones, element);
        hovered = element;
      } else if (hovered) {
        if (lit.source === hovered) unlight();
        hovered = null;
      }
    }
    var pending = null;
    document.addEventListener("mouseover", point);
    document.addEventListener("mousemove", function (event) {
      if (!lines.length) return;  /* within a block of lines: from one line to the next */
      if (pending === null) {
        window.requestAnimationFrame(function () { var last = pending; pending = null; point(last); });
      }
      pending = event;
    });
    document.addEventListener("mouseout", function (event) {
      if (!event.relatedTarget && hovered) {  /* out of the window */
        if (lit.source === hovered) unlight();
        hovered = null;
      }
    });
    document.addEventListener("focusin", function (event) {
      var element = source(event);
      if (!element) return;
      var focused = lineOf.get(element);
      if (focused) markLine(focused, true, "edition-facs-focus");
      var zones = zonesOf(element);
      if (!zones.length) return;
      if (WIDE.matches) {
        var page = zonesById[zones[0]].page;
        if (page !== shown) show(page);
        settle();
      }
      light(zones.filter(function (id) { return zonesById[id].page === shown; }), element);
    });
    document.addEventListener("focusout", function (event) {
      var element = source(event);
      var focused = element && lineOf.get(element);
      if (focused) markLine(focused, false, "edition-facs-focus");
      if (element && lit.source === element && !(event.relatedTarget && element.contains(event.relatedTarget))) unlight();
    });
  }

  function setup() {
    data = parseData();
    if (!data) return;
    pages = data.pages.filter(function (page) { return page && typeof page.id === "string"; });
    if (!pages.length) return;
    pages.forEach(function (page, index) {
      pageIndex[page.id] = index;
      (page.zones || []).forEach(function (zone) {
        if (!zone || typeof zone.id !== "string") return;
        zonesById[zone.id] = { page: index, zone: zone };
        (Array.isArray(zone.targets) ? zone.targets : []).forEach(function (target) {
          (zonesByTarget[target] = zonesByTarget[target] || []).push(zone.id);
        });
      });
    });
    /* the page breaks, and any part of the text that shows a page (a div whose @facs is the page) */
    document.querySelectorAll("[data-facs-page]").forEach(function (element) {
      var id = element.getAttribute("data-facs-page");
      if (id in pageIndex) breaks.push({ element: element, page: pageIndex[id] });
    });
    if (!breaks.length) return;  /* a genetic transcription shows each surface's image itself */
    var text = document.querySelector("section#text");
    layout = document.querySelector("article[role=main]") || (text && text.parentElement) || document.body;
    document.body.classList.add("edition-has-facsimile");
    buildPanel();
    buildDialog();
    setupText();
    arrange();
    followed = passedPage();
    show(followed);
    if ("IntersectionObserver" in window) {
      /* a break crossing the reading line (or jumped over: the area reaches far above the window) */
      var observer = new IntersectionObserver(follow, { rootMargin: "100000px 0px -" + (100 - READING_LINE * 100) + "% 0px" });
      breaks.forEach(function (item) { observer.observe(item.element); });
    }
    WIDE.addEventListener("change", arrange);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
