/* tei-edition: the search page (search.html?q=…&kind=…&year=…&language=…), with the Pagefind index in the
   site's pagefind/ folder. A query loads pagefind.js, its WebAssembly, the chunks of the index that hold its
   words and the fragments of the results shown (a few kilobytes each); the filters narrow the results. The
   page is searched again as the reader types or changes a filter, and its address keeps the query. */
(function () {
  "use strict";
  var SHOWN = 8;  /* results shown at once: each one shown loads its page's fragment */
  var FILTERS = ["kind", "year", "language"];
  var form = document.getElementById("edition-search");
  if (!form) return;
  var input = form.elements.q;
  var status = document.getElementById("edition-search-status");
  var list = document.getElementById("edition-search-results");
  var more = document.getElementById("edition-search-more");
  var root = new URL(document.documentElement.getAttribute("data-content_root") || "./", window.location.href);
  var kinds = {};
  if (form.elements.kind) {
    Array.prototype.forEach.call(form.elements.kind.options, function (option) {
      if (option.value) kinds[option.value] = option.getAttribute("data-singular") || option.textContent;
    });
  }
  var pagefind = null, results = [], shown = 0, term = "", latest = 0, timer = null;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        return module.options({ baseUrl: root.pathname, excerptLength: 26 }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function chosenFilters() {
    var filters = {};
    FILTERS.forEach(function (name) {
      var select = form.elements[name];
      if (select && select.value) filters[name] = select.value;
    });
    return filters;
  }

  /* the excerpt Pagefind gives is text with <mark> around the words found (and < > escaped): made into
     nodes here, never parsed as HTML */
  function excerptNodes(excerpt, into) {
    var marked = false;
    excerpt.split(/(<\/?mark>)/).forEach(function (piece) {
      if (piece === "<mark>") { marked = true; return; }
      if (piece === "</mark>") { marked = false; return; }
      if (!piece) return;
      var text = document.createTextNode(piece.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
      if (marked) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        into.appendChild(mark);
      } else {
        into.appendChild(text);
      }
    });
  }

  function item(data) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url + (term ? (data.url.indexOf("?") < 0 ? "?" : "&") + "highlight=" +
                                   encodeURIComponent(term) : "");
    link.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(link);
    var kind = data.filters && data.filters.kind && data.filters.kind[0];
    if (kind && kinds[kind]) {
      var label = document.createElement("span");
      label.className = "edition-search-kind";
      label.textContent = " " + kinds[kind];
      li.appendChild(label);
    }
    if (data.excerpt) {
      var context = document.createElement("p");
      context.className = "context";
      excerptNodes(data.excerpt, context);
      li.appendChild(context);
    }
    return li;
  }

  function showMore(search) {
    var next = results.slice(shown, shown + SHOWN);
    shown += next.length;
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      if (search !== latest) return;
      pages.forEach(function (data) { list.appendChild(item(data)); });
      more.hidden = shown >= results.length;
    });
  }

  function say(text) { status.textContent = text; }

  /* forget an index that could not be loaded: the next search tries again (in the watch mode the index of
     a first build is made after its pages are shown) */
  function forget() {
    var loaded = pagefind;
    pagefind = null;
    return (loaded || Promise.resolve(null)).then(function (module) {
      return module && module.destroy();
    }).catch(function () { /* it never loaded */ });
  }

  function run() {
    var search = ++latest;
    term = input.value.trim();
    var filters = chosenFilters();
    if (!term && !Object.keys(filters).length) {
      list.innerHTML = "";
      more.hidden = true;
      say("");
      return Promise.resolve();
    }
    say("Searching…");
    return load().then(function (module) {
      return module.search(term || null, { filters: filters });
    }).then(function (found) {
      if (search !== latest || !found) return;
      results = found.results;
      shown = 0;
      list.innerHTML = "";
      var count = results.length, what = term ? " for “" + term + "”" : "";
      return showMore(search).then(function () {  /* said once the first results are there */
        if (search !== latest) return;
        say(count === 0 ? "Nothing found" + what + "." : count + (count === 1 ? " page" : " pages") + " found" + what + ".");
      });
    }).catch(function () {
      if (search !== latest) return;
      if (window.location.protocol === "file:") {
        say("The search does not work in a page opened from a file: serve the site (edition serve) and open it there.");
        return;
      }
      forget();
      say("The search could not load its index; if the site is being built, try again in a moment.");
    });
  }

  function remember() {
    var query = new URLSearchParams();
    if (input.value.trim()) query.set("q", input.value.trim());
    FILTERS.forEach(function (name) {
      var select = form.elements[name];
      if (select && select.value) query.set(name, select.value);
    });
    var address = window.location.pathname + (query.toString() ? "?" + query.toString() : "");
    try { window.history.replaceState(null, "", address); } catch (e) { /* a file: page */ }
  }

  var given = new URLSearchParams(window.location.search);
  input.value = given.get("q") || "";
  FILTERS.forEach(function (name) {
    var select = form.elements[name];
    if (select && given.get(name)) select.value = given.get(name);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    remember();
    run();
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { remember(); run(); }, 300);
  });
  FILTERS.forEach(function (name) {
    if (form.elements[name]) form.elements[name].addEventListener("change", function () { remember(); run(); });
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore(latest).then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();  /* the keyboard goes on where the new results start */
    });
  });
  run();
})();
