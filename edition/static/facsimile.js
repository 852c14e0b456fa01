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
  function shortText(elements) {
    var text = elements.map(function (element) { return element.textContent; }).join(" ").replace(/\s+/g, " ").trim();
    return text.length > 80 ? text.slice(0, 79).trim() + "…" : text;
  }

  /* -- highlighting ------------------------------------------------------------------------------- */
  function unlight() {
    lit.zones.forEach(function (element) { element.classList.remove("edition-facs-lit"); });
    lit.texts.forEach(function (element) { element.classList.remove("edition-facs-lit"); });
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

  /* -- the text: page breaks and linked elements --------------------------------------------------- */
  function setupText() {
    document.querySelectorAll("[data-facs-zone]").forEach(function (element) {
      if (!zonesOf(element).length) return;
      element.classList.add("edition-facs-linked");
      if (element.tabIndex < 0 && !element.matches("a[href], button, input, select, textarea")) element.tabIndex = 0;
    });
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
    document.addEventListener("mouseover", function (event) {
      var element = source(event);
      if (!element || lit.source === element) return;
      var zones = zonesOf(element).filter(function (id) { return zonesById[id].page === shown; });
      if (zones.length) light(zones, element);
    });
    document.addEventListener("mouseout", function (event) {
      var element = source(event);
      if (element && lit.source === element && !(event.relatedTarget && element.contains(event.relatedTarget))) unlight();
    });
    document.addEventListener("focusin", function (event) {
      var element = source(event);
      if (!element) return;
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
