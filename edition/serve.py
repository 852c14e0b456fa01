"""Serve a built site on 127.0.0.1 for a preview (``edition serve``), the browser tests and the screenshots."""

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


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".xml": "application/xml",
                      ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests and previews need no access log


@contextlib.contextmanager
def serving(directory: Path, port: int = 0) -> Iterator[str]:
    """Serve ``directory`` in a background thread; yields the base URL (``http://127.0.0.1:PORT/``)."""
    handler = functools.partial(_Handler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
