"""Build the edition and sample projects with another version of the toolkit and with this one, and compare.

Usage::

    python scripts/compare_sites.py                 # against the last commit (HEAD)
    python scripts/compare_sites.py --base main~3   # against any git revision
    python scripts/compare_sites.py --samples DIR   # other TEI files (default: ../shared/tei-samples)

The same inputs are built by both versions, each in a fresh process: the repository's edition (``docs/``
and ``tei/`` as they are in the working tree) and a project made by ``edition init`` from each top-level
``*.xml`` of the samples folder. The base revision is exported with ``git archive`` into a temporary
folder and run from there (``PYTHONPATH``), with the packages of this environment. Each site is compared
file by file (Sphinx's ``.buildinfo`` and the doctrees left out); the script prints the files that differ,
with the first differing lines, and exits 1 if any do. A refactor that should change nothing must print
"identical"; a change that should change some output lists exactly those files.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "tei-samples"
IGNORED = {".buildinfo", ".doctrees", ".edition-new"}


def export(revision: str, into: Path) -> Path:
    """The files of ``revision`` (the package and what it needs), in ``into``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", revision], capture_output=True,
                             check=True).stdout
    into.mkdir(parents=True)
    archive_path = into.parent / f"{into.name}.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(into, filter="data")
    archive_path.unlink()
    return into


def edition(code: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("TEI_ALL_RNG", "EDITION_TEST_STOP")}
    environment |= {"PYTHONPATH": str(code), "NO_COLOR": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-m", "edition.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, check=False)


def projects(samples: Path, where: Path, code: Path) -> dict[str, Path]:
    """The projects to build with ``code``: the repository's edition and one per sample."""
    made = {}
    stalin = where / "edition"
    shutil.copytree(REPO / "tei", stalin / "tei")
    shutil.copytree(REPO / "docs", stalin / "docs", ignore=shutil.ignore_patterns("_build", "*.edition"))
    made["edition"] = stalin
    for sample in sorted(samples.glob("*.xml")):
        project = where / sample.stem
        result = edition(code, "init", str(project), "--tei", str(sample), cwd=where)
        if result.returncode != 0:
            print(f"compare: {sample.name}: edition init failed: {result.stderr.strip()}", file=sys.stderr)
            continue
        conf = project / "docs" / "conf.py"  # the date of the version is today's: the same for both
        conf.write_text(conf.read_text(encoding="utf-8").replace(
            "edition_published = '", "edition_published = '2000-01-01' or '", 1), encoding="utf-8")
        made[sample.stem] = project
    return made


def build(code: Path, project: Path, out: Path) -> str:
    result = edition(code, "build", str(project), "-q", "--allow-warnings", "-o", str(out), cwd=project)
    return "" if result.returncode == 0 else (result.stderr.strip().splitlines() or ["failed"])[-1]


def files_of(site: Path) -> dict[str, Path]:
    return {str(p.relative_to(site)): p for p in site.rglob("*")
            if p.is_file() and not IGNORED.intersection(p.relative_to(site).parts)}


def compare(left: Path, right: Path) -> list[str]:
    """Lines describing how the site ``right`` differs from ``left``."""
    before, after = files_of(left), files_of(right)
    report = [f"  only in the base: {name}" for name in sorted(before.keys() - after.keys())]
    report += [f"  only in this version: {name}" for name in sorted(after.keys() - before.keys())]
    for name in sorted(before.keys() & after.keys()):
        a, b = before[name].read_bytes(), after[name].read_bytes()
        if a == b:
            continue
        report.append(f"  differs: {name}")
        try:
            diff = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=0)
            report += [f"      {line[:160]}" for line in list(diff)[2:8]]
        except UnicodeDecodeError:
            report.append("      (binary)")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD", help="the git revision to compare with (default: HEAD)")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="folder of TEI samples (top-level *.xml)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="edition-compare-"))
    different = 0
    try:
        base_code = export(args.base, scratch / "base-code")
        for label, code in (("base", base_code), ("this", REPO)):
            for name, project in projects(args.samples, scratch / label, code).items():
                problem = build(code, project, scratch / f"{label}-sites" / name)
                if problem:
                    print(f"compare: {name}: the {label} version did not build: {problem}")
        for site in sorted((scratch / "base-sites").iterdir()):
            mine = scratch / "this-sites" / site.name
            report = compare(site, mine) if mine.is_dir() else ["  not built by this version"]
            print(f"{site.name}: " + ("identical" if not report else f"{len(report)} difference(s)"))
            print("\n".join(report)) if report else None
            different += bool(report)
    finally:
        if args.keep:
            print(f"compare: the sites are in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
