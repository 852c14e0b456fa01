"""The header reaches the reader, on the samples of each kind of TEI (issue 13, item 4).

Reads ``../shared/tei-samples/kinds`` (the repository's neighbour; not copied into the project): a
manuscript's catalogue record (all of it in ``msDesc``), keyed letters with their registers (a
``correspDesc`` with sender, addressee, places, dates and the previous and next letters) and an Arabic
journal issue. Each is published with ``edition init`` and ``edition build``, as an editor would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from edition.core.xmlparse import parse_file

from .conftest import SHARED
from .test_samples import header_words, header_words_missing

KINDS = SHARED / "tei-samples" / "kinds"

if not KINDS.is_dir():
    pytest.skip(f"{KINDS} not available", allow_module_level=True)

#: sample folder -> (its texts, its registers)
SAMPLES = {
    "manuscript": (sorted((KINDS / "manuscript").glob("*.xml")), []),
    "letters-keyed": (sorted((KINDS / "letters-keyed").glob("K_*.xml")),
                      [KINDS / "letters-keyed" / "people.xml", KINDS / "letters-keyed" / "places.xml"]),
    "right-to-left": (sorted((KINDS / "right-to-left").glob("*.xml")), []),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The site of each sample, built when first asked for."""
    return _Sites(tmp_path_factory)


class _Sites(dict):
    def __init__(self, factory: pytest.TempPathFactory) -> None:
        super().__init__()
        self.factory = factory

    def __missing__(self, kind: str) -> Path:
        self[kind] = _publish(kind, self.factory)
        return self[kind]


@pytest.fixture(params=sorted(SAMPLES))
def published(request: pytest.FixtureRequest, sites: dict[str, Path]) -> tuple[str, Path]:
    return request.param, sites[request.param]


def _publish(kind: str, factory: pytest.TempPathFactory) -> Path:
    texts, registers = SAMPLES[kind]
    project = factory.mktemp(kind) / "edition"
    run = [sys.executable, "-m", "edition.cli"]
    command = [*run, "init", str(project), *(a for t in texts for a in ("--tei", str(t))),
               *(a for r in registers for a in ("--register", str(r)))]
    init = subprocess.run(command, capture_output=True, text=True, check=False)
    assert init.returncode == 0, init.stderr
    build = subprocess.run([*run, "build", str(project), "-q"], capture_output=True, text=True, check=False)
    assert build.returncode == 0 and "Traceback" not in build.stderr, build.stderr[-3000:]
    return project / "docs" / "_build" / "html"


def _page(site: Path, text: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / "texts" / f"{text.name[:-4]}.html")).xpath('//*[@role="main"]')[0]


def test_at_least_99_percent_of_each_header_is_on_its_page(published: tuple[str, Path]):
    kind, site = published
    for text in SAMPLES[kind][0]:
        root = parse_file(text).getroot()
        missing = header_words_missing(root, _page(site, text))
        total = len(header_words(root))
        assert sum(missing.values()) <= 0.01 * total, f"{text.name}: header words lost: {missing.most_common(10)}"


def test_a_catalogue_record_is_shown_open_with_its_structure(sites: dict[str, Path]):
    page = _page(sites["manuscript"], SAMPLES["manuscript"][0][0])
    panel = page.xpath('.//details[contains(@class, "edition-meta")]')[0]
    assert panel.get("open") is not None  # the text is empty: the description is what there is to read
    labels = [dt.text_content().rstrip(":") for dt in panel.xpath(".//dt")]
    for label in ("Manuscript", "Identifier", "Part 1", "Part 3", "Contents", "Physical description", "History",
                  "Origin", "Revisions"):
        assert label in labels, labels
    assert "Lanfranc" in panel.text_content() and "15th century" in panel.text_content()
    assert not page.xpath('.//ol[contains(@class, "tei-notes")]')  # the header's notes are not the text's


def test_a_letters_correspondents_are_linked_and_counted(sites: dict[str, Path]):
    site = sites["letters-keyed"]
    text = next(t for t in SAMPLES["letters-keyed"][0] if t.name.startswith("K_1624"))
    page = _page(site, text)
    sent = page.xpath('.//dt[starts-with(., "Sent")]/following-sibling::dd[1]')[0]
    links = {a.text_content(): a.get("href") for a in sent.xpath(".//a")}
    assert links["Johann Jakob Blumer"].endswith("persons/Blumer-Johann-Jakob.html")
    assert sent.xpath(".//time[@datetime='1857-05-30']")
    assert page.xpath('.//dt[starts-with(., "Previous letter")]') and page.xpath('.//dt[starts-with(., "Keywords")]')
    person = lxml.html.parse(str(site / "persons" / "Blumer-Johann-Jakob.html"))
    assert "in the letter's sending (metadata)" in person.getroot().text_content()  # a mention of him
    chronology = lxml.html.parse(str(site / "chronology.html")).getroot().text_content()
    assert "in the letter's sending (metadata)" in chronology  # the letter's date is in the chronology


def test_an_empty_elements_pointers_are_not_shown_as_its_words(sites: dict[str, Path]):
    """The Arabic issue's ``<textLang mainLang="ar" change="#d2e228"/>`` showed "change #d2e228" to readers."""
    page = _page(sites["right-to-left"], SAMPLES["right-to-left"][0][0])
    panel = page.xpath('.//details[contains(@class, "edition-meta")]')[0].text_content()
    assert "main lang ar" in panel and "#d2e228" not in panel
