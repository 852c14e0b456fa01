"""Serve a built site on 127.0.0.1 for a preview (``edition serve``), the browser tests and the screenshots.

With a :class:`LiveReload`, every HTML page served carries a small script that listens to the server
(Server-Sent Events at ``/.edition-live``) and reloads the page when the site has been built again: the
approach of sphinx-autobuild, with the standard library's server.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: Debian's Chromium, driven headless by the browser tests and the screenshot script: as root in a
#: container it needs no sandbox, and /dev/shm is often too small for it
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"]

#: where pages listen for new builds
LIVE_PATH = "/.edition-live"
#: the script added to every HTML page when the site is watched: reload when a new build is published; the
#: search page also when the search index was made again (after the build, in the background)
LIVE_SCRIPT = (b'<script>(function(){var s=new EventSource("' + LIVE_PATH.encode() + b'");'
               b'function r(){s.close();location.reload();}s.onmessage=r;s.addEventListener("search",function(){'
               b'if(document.getElementById("edition-search"))r();});})();</script>')


class LiveReload:
    """The generation of the site being served: :meth:`changed` after each build wakes every page that
    listens (:meth:`wait_event`), which reloads itself; :meth:`search_changed` when the search index was made again
    wakes them too (the search page reloads)."""

    def __init__(self) -> None:
        self._generation = 0
        self._search_generation = 0
        self._changed = threading.Condition()
        self._closed = False

    def changed(self) -> None:
        with self._changed:
            self._generation += 1
            self._changed.notify_all()

    def search_changed(self) -> None:
        with self._changed:
            self._search_generation += 1
            self._changed.notify_all()

    def wait_event(self, seen: tuple[int, int], timeout: float) -> tuple[str, tuple[int, int]] | None:
        """``("build", now)`` once the site was built again after ``seen`` (the generations of the site and of
        its search index), else ``("search", now)`` once its index was made again; None at ``timeout`` or when
        closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._now() != seen or self._closed, timeout)
            now = self._now()
            if self._closed or now == seen:
                return None
            return ("build" if now[0] != seen[0] else "search"), now

    def _now(self) -> tuple[int, int]:
        return self._generation, self._search_generation

    @property
    def generations(self) -> tuple[int, int]:
        """The generations of the site and of its search index."""
        return self._now()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xml": "application/xml",
                      ".js": "text/javascript", ".json": "application/json"}

    def __init__(self, *args, live: LiveReload | None = None, **kwargs) -> None:
        self.live = live
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests and previews need no access log

    def do_GET(self) -> None:
        if self.live is not None and self.path.split("?")[0] == LIVE_PATH:
            self._events()
            return
        if self.live is not None and self._is_page():
            self._page_with_reload()
            return
        super().do_GET()

    def _is_page(self) -> bool:
        path = self.path.split("?")[0].split("#")[0]
        return path.endswith((".html", "/"))

    def _page_with_reload(self) -> None:
        """The page as it is on disk, with the live-reload script before ``</body>``."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        try:
            data = path.read_bytes()
        except OSError:
            super().do_GET()  # not found, or a folder without index: as the plain server answers
            return
        marker = data.rfind(b"</body>")
        data = data[:marker] + LIVE_SCRIPT + data[marker:] if marker != -1 else data + LIVE_SCRIPT
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        """Server-Sent Events: a message when the site was built again (then the stream ends), a ``search``
        event when its search index was made again; a comment every 15 s keeps the connection open."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.live.generations
        with contextlib.suppress(OSError):
            while True:
                event = self.live.wait_event(seen, 15)
                if event is None and self.live.closed:
                    return
                if event is None:
                    self.wfile.write(b": waiting\n\n")
                elif event[0] == "search":
                    self.wfile.write(f"event: search\ndata: {event[1][1]}\n\n".encode())
                else:
                    self.wfile.write(f"data: {event[1][0]}\n\n".encode())
                self.wfile.flush()
                if event is not None:
                    seen = event[1]
                    if event[0] == "build":
                        return


@contextlib.contextmanager
def serving(directory: Path, port: int = 0, live: LiveReload | None = None) -> Iterator[str]:
    """Serve ``directory`` in a background thread; yields the base URL (``http://127.0.0.1:PORT/``). With
    ``live``, pages reload themselves when it says the site changed."""
    handler = functools.partial(_Handler, directory=str(directory), live=live)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        if live is not None:
            live.close()
        server.shutdown()
        server.server_close()
        thread.join()
