"""Vendor OpenSeadragon from npm into ``edition/static/openseadragon/``: its built, minified file and its licence.

Usage: ``python scripts/update_openseadragon.py VERSION`` (for example ``5.0.1``). It runs ``npm pack
openseadragon@VERSION`` in a temporary folder (npm checks the tarball's integrity), takes
``build/openseadragon/openseadragon.min.js`` without its last line (the ``sourceMappingURL`` of a map that is
not shipped: browsers with developer tools open would ask for it) and ``LICENSE.txt``, checks that the file
is the version asked for, and writes ``NOTICE.txt`` with the version, the tarball's integrity and the
shipped file's sha256 (``tests/test_openseadragon.py`` checks the shipped file against it). The viewer's
button images are not shipped: the reading view has buttons of its own.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "edition" / "static" / "openseadragon"
MAP_LINE = re.compile(rb"\n//# sourceMappingURL=[^\n]*\n?\Z")

NOTICE = """OpenSeadragon {version} (https://openseadragon.github.io/), vendored by tei-edition for the reading view.

Licence: BSD-3-Clause, LICENSE.txt (copied from the package).
Source: npm package openseadragon@{version}, tarball integrity {integrity}
File: build/openseadragon/openseadragon.min.js, without its last line (//# sourceMappingURL=...): the map
is not shipped. The viewer's button images are not shipped either (the reading view has its own buttons).
sha256 of the shipped openseadragon.min.js: {sha256}

To update: python scripts/update_openseadragon.py VERSION (needs npm), then run tests/test_openseadragon.py
and tests/test_facsimile_reader.py.
"""


def shipped_version(script: bytes) -> str:
    """The version a built OpenSeadragon file says it is (its banner and ``versionStr`` must agree)."""
    banner = re.match(rb"//! openseadragon (\S+)\n", script)
    inside = re.search(rb'versionStr:"([^"]+)"', script)
    if not banner or not inside or banner.group(1) != inside.group(1):
        raise ValueError("not a built OpenSeadragon file, or its banner and versionStr disagree")
    return banner.group(1).decode()


def vendor(version: str) -> None:
    """Fetch ``openseadragon@version`` with npm and write it into the package."""
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(["npm", "pack", f"openseadragon@{version}", "--json"], cwd=tmp, check=True,
                                capture_output=True, text=True)
        packed = json.loads(result.stdout)[0]
        with tarfile.open(Path(tmp) / packed["filename"]) as tarball:
            script = tarball.extractfile("package/build/openseadragon/openseadragon.min.js").read()
            licence = tarball.extractfile("package/LICENSE.txt").read()
    if shipped_version(script) != version:
        raise SystemExit(f"npm gave OpenSeadragon {shipped_version(script)}, not {version}")
    script = MAP_LINE.sub(b"\n", script)
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "openseadragon.min.js").write_bytes(script)
    (TARGET / "LICENSE.txt").write_bytes(licence)
    (TARGET / "NOTICE.txt").write_text(NOTICE.format(version=version, integrity=packed["integrity"],
                                                     sha256=hashlib.sha256(script).hexdigest()), encoding="utf-8")
    print(f"OpenSeadragon {version} written to {TARGET.relative_to(REPO)}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.strip().splitlines()[2])
    vendor(sys.argv[1])
