"""An edition adds its own kind of register entry in ``conf.py`` (``edition_kinds``): the README's example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx.errors import ConfigError

from edition.core.kinds import LIBRARY_KINDS, KindError, kinds_from_config

from .conftest import ROOTS, build_root, page
from .test_cli import run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build_root("test-kinds", tmp_path_factory.mktemp("kinds"))


def test_an_edition_kind_has_pages_an_index_and_links_both_ways(built):
    text = page(built, "texts/letter")
    (link,) = text.xpath('//a[.//span[contains(@class, "tei-rs")] and contains(@href, "bastille")]')
    assert link.get("href") == "../events/bastille.html" and link.get("title") == "Storming of the Bastille"
    event = page(built, "events/bastille")
    assert event.xpath("string(//h1)").startswith("Storming of the Bastille")
    assert "taken by the people" in event.text_content()
    back = event.xpath('//section[@id="mentions"]//a[contains(@href, "letter.html#")]')
    assert back and "taking of the fortress" in back[0].xpath("string(ancestor::li[1])")
    index = page(built, "events/index")
    names = [a.text_content() for a in index.xpath('//ul[contains(@class, "entry-index-of-event")]//a')]
    assert names[:2] == ["Storming of the Bastille", "Tennis Court Oath"]
    assert "a riot" in index.text_content()  # a name of the kind that no register identifies
    home = page(built, "index")
    assert home.xpath('//a[@href="events/bastille.html"]')  # the role {event}`bastille`
    assert (Path(built.outdir) / "tei-events.html").is_file()  # the domain's index of the kind


def test_an_unusable_kind_stops_the_build_with_the_kind_shown(tmp_path: Path):
    with pytest.raises(ConfigError, match=r"edition_kinds: .*'elements'.*unknown field\(s\) colour"):
        build_root("test-kinds", tmp_path, confoverrides={"edition_kinds": [
            {"name": "event", "elements": ["event"], "folder": "events", "colour": "red"}]})


@pytest.mark.parametrize(("value", "message"), [
    ({"name": "event", "folder": "events"}, "elements missing"),
    ({"name": "event", "elements": ["event"], "folder": "texts"}, "not 'texts'"),
    ({"name": "my event", "elements": ["event"], "folder": "events"}, "plain word"),
    ({"name": "event", "elements": "event", "folder": "events"}, "list of element names"),
    ({"name": "event", "elements": ["event"], "folder": "persons"}, "folder 'persons'"),
])
def test_kinds_from_config_says_what_is_wrong(value: dict, message: str):
    with pytest.raises(KindError, match=message):
        kinds_from_config([value])


def test_a_kind_of_the_library_may_be_replaced():
    kinds = kinds_from_config([{"name": "place", "elements": ["place"], "folder": "places", "plural": "locations"}])
    assert [kind.name for kind in kinds] == [kind.name for kind in LIBRARY_KINDS]
    assert kinds.by_name["place"].plural == "locations"


def test_validate_knows_the_kinds_of_conf_py(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(ROOTS / "test-kinds", project)
    letter = project / "tei" / "letter.xml"
    letter.write_text(letter.read_text().replace("events.xml#tennis-court", "events.xml#tenis-court"))
    result = run("validate", "-p", str(project))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "no event with xml:id 'tenis-court' in the registers; did you mean #tennis-court?" in result.stdout
    assert "bastille" not in result.stdout  # the kind's other pointer resolves


def test_the_book_has_the_kind_too(tmp_path: Path):
    app = build_root("test-kinds", tmp_path, buildername="latex")
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\section{Storming of the Bastille}" in tex or r"\chapter{Storming of the Bastille}" in tex
    assert r"\index{Storming of the Bastille@\spxentry{Storming of the Bastille}}" in tex


def test_the_readme_example_is_the_one_built_here():
    """The README's example of a kind, as written there, is the ``edition_kinds`` of the root built above."""
    import re

    from .conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A kind of register entry"):]
    example: dict = {}
    exec(re.search(r"```python\n(.*?)```", section, re.S).group(1), example)
    conf: dict = {}
    exec((ROOTS / "test-kinds" / "conf.py").read_text(encoding="utf-8"), conf)
    assert example["edition_kinds"] == conf["edition_kinds"]
    assert kinds_from_config(example["edition_kinds"]).by_name["event"].folder == "events"
