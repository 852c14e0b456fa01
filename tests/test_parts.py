"""The generated parts of pages (``edition/parts``): one home each, fingerprints derived from their inputs,
and the README's example of a new kind, run as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from edition.parts import PARTS, Part

from .conftest import REPO, ROOTS, build_root, page


def test_every_kind_has_one_home_with_inputs_and_a_renderer():
    for kind, part in PARTS.items():
        assert part.kind == kind
        module = type(part).__module__
        assert module.startswith("edition.parts."), module
        assert type(part).inputs is not Part.inputs and type(part).render is not Part.render, kind


def test_the_readme_example_of_a_new_part_works_and_follows_the_edition(tmp_path: Path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A generated part of a page"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-small", src)
    (src / "textcount.py").write_text(code, encoding="utf-8")
    conf = src / "conf.py"
    setup = "import os\nimport sys\nsys.path.insert(0, os.path.abspath('.'))\n"
    conf.write_text(setup + conf.read_text(encoding="utf-8").replace('"edition"]', '"edition", "textcount"]'),
                    encoding="utf-8")
    assert '"textcount"' in conf.read_text(encoding="utf-8")
    (src / "count.md").write_text("# Count\n\n```{text-count}\n```\n", encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("downloads\n", "downloads\ncount\n"), encoding="utf-8")
    app = build_root("test-small", tmp_path, warningiserror=False)
    try:
        assert page(app, "count").xpath('string(//p[@class="text-count"])') == "The edition has 1 text."
        # a second text: the count is an input of the page, which is written again
        (src / "tei" / "second.xml").write_bytes((src / "tei" / "letter.xml").read_bytes())
        app2 = build_root("test-small", tmp_path, warningiserror=False,
                          confoverrides={"edition_texts": ["tei/letter.xml", "tei/second.xml"]})
        assert page(app2, "count").xpath('string(//p[@class="text-count"])') == "The edition has 2 texts."
    finally:
        PARTS.pop("text-count", None)
