"""The vendored OpenSeadragon: the shipped file is the version its NOTICE records, unchanged since, with its
licence, and the package ships it."""

from __future__ import annotations

import hashlib
import re
import runpy
import tomllib

from .conftest import REPO

FOLDER = REPO / "edition" / "static" / "openseadragon"


def _notice() -> str:
    return (FOLDER / "NOTICE.txt").read_text(encoding="utf-8")


def test_the_shipped_file_is_the_recorded_version_unchanged():
    script = (FOLDER / "openseadragon.min.js").read_bytes()
    shipped_version = runpy.run_path(str(REPO / "scripts" / "update_openseadragon.py"))["shipped_version"]
    recorded = re.match(r"OpenSeadragon (\S+) ", _notice())
    assert recorded and shipped_version(script) == recorded.group(1)
    assert f"openseadragon@{recorded.group(1)}," in _notice()
    digest = re.search(r"sha256 of the shipped openseadragon.min.js: ([0-9a-f]{64})", _notice())
    assert digest and hashlib.sha256(script).hexdigest() == digest.group(1)
    assert b"sourceMappingURL" not in script  # no request for a map that is not shipped


def test_its_licence_is_shipped_with_it_in_the_package():
    assert "Redistribution and use in source and binary forms" in (FOLDER / "LICENSE.txt").read_text()
    package_data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "static/openseadragon/*" in package_data["edition"]
    assert sorted(p.name for p in FOLDER.iterdir()) == ["LICENSE.txt", "NOTICE.txt", "openseadragon.min.js"]
