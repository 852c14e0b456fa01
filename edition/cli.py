"""The ``edition`` command: build, validate and scaffold TEI editions."""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime
import errno
import functools
import gc
import json
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .core.register import KEY_MATCH
from .core.xmlparse import XMLError, parse_file, plain_text, require_tei, tei

if TYPE_CHECKING:
    from lxml import etree
    from sphinx.application import Sphinx

    from .publish.buildreport import BuildReport
    from .publish.export import Export
    from .publish.search import Indexed
    from .searchpage import Indexing
    from .serve import LiveReload
    from .watch import KeptApplication

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line or the project layout (exit code 2)."""


def find_confdir(project: Path) -> Path:
    """The directory holding ``conf.py``: ``PROJECT/docs`` or ``PROJECT`` itself."""
    for candidate in (project / "docs", project):
        if (candidate / "conf.py").is_file():
            return candidate.resolve()
    raise UsageError(f"{project}: no docs/conf.py or conf.py here; create a project with 'edition init'")


@dataclass
class ProjectFiles:
    """What ``conf.py`` configures: the TEI files, the project directory, the schema and the rules."""

    texts: list[Path]
    registers: list[Path]
    root: Path
    schema: Path | None
    rules: Path | None
    model: list = field(default_factory=list)  # edition_model: the project's rules of the processing model
    kinds: list = field(default_factory=list)  # edition_kinds: the project's kinds of register entry
    key_match: list = field(default_factory=lambda: list(KEY_MATCH))  # edition_key_match


def project_files(confdir: Path) -> ProjectFiles:
    """The TEI texts, registers, schema and rules configured in ``conf.py``."""
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    from .project import project_root, resolve_paths

    try:
        config = Config.read(confdir, overrides={}, tags=Tags())
    except Exception as exc:  # a broken conf.py: Sphinx wraps its errors in ConfigError
        last = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{confdir / 'conf.py'}: cannot read the configuration: {last}") from None
    from .extension import SETTINGS

    for name, (default, rebuild, kind) in SETTINGS.items():
        config.add(name, default, rebuild, kind)  # read from conf.py when first asked for
    texts = resolve_paths(confdir, config.edition_texts)
    registers = resolve_paths(confdir, config.edition_registers)

    def optional(value: str) -> Path | None:
        return Path(resolve_paths(confdir, [value])[0]) if value else None

    root = optional(config.edition_root) or Path(project_root(confdir, texts + registers))
    return ProjectFiles([Path(p) for p in texts], [Path(p) for p in registers], root,
                        optional(config.edition_schema), optional(config.edition_rules), list(config.edition_model),
                        list(config.edition_kinds), list(config.edition_key_match))


def index_and_publish(job: Indexing, work: Path, out: Path, cancel: threading.Event | None = None,
                      before_parts: Callable[[], None] | None = None) -> Indexed:
    """Index the site built in ``work`` for its search (unless its index is up to date), then publish the new
    index into ``out`` (``before_parts``: see :func:`edition.publish.search.index_site`). Raises
    :class:`edition.publish.search.SearchIndexError` and :class:`edition.publish.sitebuild.MachineError`."""
    indexed = job.run(cancel, before_parts)
    if indexed.ran:
        _publish_after_pages(work, out)
    return indexed


def _written_after_pages() -> tuple[str, ...]:
    """What is written after the pages (the search index, the ``teiCorpus`` export): paths in the working folder,
    whose files are replaced by new ones, never changed in place (so published as hard links)."""
    from .publish import search
    from .publish.export import CORPUS_NAME

    return search.BUNDLE, f"tei/{CORPUS_NAME}"


def _publish_after_pages(work: Path, out: Path) -> None:
    """Publish what is written after the pages, the pages being published already."""
    from .publish import sitebuild

    after_pages = _written_after_pages()
    sitebuild.publish(work, out, within=after_pages, linked=after_pages)


def export_index_and_publish(export: Export | None, job: Indexing, work: Path, out: Path,
                             cancel: threading.Event | None = None,
                             before_parts: Callable[[], None] | None = None) -> Indexed:
    """What follows the publication of the pages (in the watch mode, in the background once they are reloaded):
    the ``teiCorpus`` export the build left (``export``: see :func:`edition.extension.deferred_export`),
    published as soon as it is written, then :func:`index_and_publish`; ``cancel`` stops both (a new build
    began)."""
    if export is not None and export.run(cancel):
        _publish_after_pages(work, out)
    return index_and_publish(job, work, out, cancel, before_parts)


def export_and_index_together(export: Export | None, job: Indexing, work: Path, out: Path,
                              before_parts: Callable[[], None] | None = None) -> Indexed:
    """:func:`export_index_and_publish` for a one-off build, whose process waits for both: the export written in
    a thread while the site is indexed (Pagefind is a process of its own, the merge's compression lets go of the
    interpreter: the 5,069 Escher letters' export took 1.1 s of a rebuild), then both published at once."""
    if export is None:
        return index_and_publish(job, work, out, None, before_parts)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as exporting:
        exported = exporting.submit(export.run)
        try:
            indexed = job.run(None, before_parts)
        except BaseException:
            if exported.result():  # the export is published all the same, as it would have been before the index
                _publish_after_pages(work, out)
            raise
        if exported.result() or indexed.ran:
            _publish_after_pages(work, out)
    return indexed


def cmd_build(args: argparse.Namespace, index_later: Callable[[Callable[..., Indexed]], None] | None = None,
              kept: KeptApplication | None = None, changed: set[Path] | None = None) -> int:
    """Build the site into a working folder and publish it, then index it for its search (with ``index_later``,
    hand it that work instead: ``index_later(index)``, where ``index(cancel)`` indexes and publishes the index,
    after writing and publishing the ``teiCorpus`` export, which the build then leaves to it).
    Problems of the data are warnings (``--strict``: errors, and the site is not published); a TEI file that
    cannot be read fails the build, with the rest of the site published. The warnings are grouped by kind and
    summed up at the end. With ``kept`` (the watch mode), the Sphinx application of the build before is used
    again when it can be (``changed``: the files saved since)."""
    from sphinx.errors import SphinxError
    from sphinx.util.console import color_terminal, nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from .extension import deferred_export
    from .publish import sitebuild
    from .publish.buildreport import BuildReport, ReportingSphinx
    from .publish.search import SearchIndexError, pagefind_binary
    from .searchpage import WHEN_PUBLISHED, indexing, said

    confdir = find_confdir(Path(args.project))
    out = (Path(args.output) if args.output else confdir / "_build" / "html").resolve()
    work = sitebuild.work_folder(confdir, out)
    doctrees = work / ".doctrees"
    jobs = _cpus() if args.jobs in (None, "auto") else _positive(args.jobs)
    if not color_terminal():
        nocolor()
    try:
        had_site = (out / "index.html").is_file()
    except OSError:
        had_site = False
    unchanged = f"the site in {out} is as it was" if had_site else "no site was written"
    report = BuildReport(sys.stderr, show_all=args.verbose) if kept is None else kept.report
    report.reset()
    pages = False  # published

    def failed(message: str) -> int:
        report.print_summary()
        print(f"edition: error: {message}", file=sys.stderr)
        return EXIT_PROBLEMS

    def machine_problem(error: OSError) -> int:
        return failed(f"{sitebuild.describe(error, error.filename or str(work))}; {unchanged}")

    def make() -> ReportingSphinx:
        return ReportingSphinx(report, confdir, confdir, work, doctrees, "html",
                               confoverrides={"nitpicky": True, "edition_search_index": WHEN_PUBLISHED,
                                              # the export after the pages, unless its warnings must stop them
                                              **({"edition_export": WHEN_PUBLISHED} if not args.strict else {})},
                               status=None if args.quiet else sys.stdout, parallel=jobs)

    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(sitebuild.build_lock(confdir / "_build"))
            if kept is None:  # a kept application holds them for its life
                stack.enter_context(patch_docutils(confdir))
                stack.enter_context(docutils_namespace())
            stack.enter_context(report.listening())
            sitebuild.check_output(out)
            pagefind_binary()  # the search index is made after the site is published: can it be, at all?
            sitebuild.discard_staging(out)
            if kept is None:
                with _long_lived():
                    app = make()
                if args.jobs is None and app.parallel > 1 and not _parallel_safe(app):
                    app.parallel = 1  # as Sphinx would, without its warnings: -j was not asked for
            else:
                app = kept.application(make, changed)
            try:
                with sitebuild.FileSystemWarnings().watching() as machine:
                    app.build()
            except BaseException:
                if kept is not None:  # a build that failed leaves nothing to build on: a new application next
                    kept.built(complete=False)
                raise
            if kept is not None:
                kept.built(complete=not machine.errors)
            if machine.errors:
                raise sitebuild.MachineError(*machine.errors[0], "cannot write the site")
            if args.strict and report.problems:
                return failed(f"--strict: the build gave {_warnings(report.problems)} (above), so the site is not "
                              f"published; {unchanged}")
            sitebuild.publish(work, out, linked=_written_after_pages())
            pages = True
            job, export = indexing(app), deferred_export(app)
            if kept is None:  # a one-off build: nothing below needs the application (see _let_go_of_the_build)
                del app
            if job is not None and index_later is not None:  # the export too, if the build left it
                index_later(functools.partial(export_index_and_publish, export, job, work, out))
            elif job is not None:
                if not args.quiet:
                    print("edition: indexing the site for its search (Pagefind)… ", end="", flush=True)
                indexed = export_and_index_together(export, job, work, out,
                                                    before_parts=_let_go_of_the_build if _held_much() else None)
                if not args.quiet:
                    print(said(indexed), flush=True)
            elif export is not None and export.run():  # a site without a search
                sitebuild.publish(work, out, linked=_written_after_pages())
    except SearchIndexError as exc:
        return failed(f"{exc}; {'the new pages are published, the search index is as it was' if pages else unchanged}")
    except sitebuild.BuildLockedError as exc:
        return failed(str(exc))
    except sitebuild.MachineError as exc:
        state = f"the site in {out} is partly updated; build again once this is solved" if exc.partial else unchanged
        return failed(f"{exc}; {state}")
    except SphinxError as exc:  # configuration and extension errors: the message says what is wrong
        error = sitebuild.machine_problem_in(exc)
        if error is not None:
            return machine_problem(error)
        return failed(str(exc).strip())
    except Exception as exc:
        error = sitebuild.machine_problem_in(exc)
        if error is not None:  # the machine's problem, not a bug of ours
            return machine_problem(error)
        if jobs > 1 and isinstance(exc, (EOFError, BrokenPipeError, ConnectionResetError)):
            return failed(f"a process of the parallel build (-j {args.jobs or jobs}) ended before its work was done "
                          f"(killed, or out of memory); build again, or with -j 1; {unchanged}")
        log = _save_traceback()  # a bug: say so in one line, keep the details for a report
        report.print_summary()
        print(f"edition: internal error: {type(exc).__name__}: {exc}; please report it with {log}", file=sys.stderr)
        return EXIT_PROBLEMS
    return _published(report, out)


@contextlib.contextmanager
def _long_lived() -> Iterator[None]:
    """Make the application of a one-off build (its environment and registers: 400,000 objects at 500 texts)
    with the cyclic garbage collector paused, then set what exists aside from it (``gc.freeze``): each full
    collection of the build walked them all again, a third of a one-text rebuild, and none of them is garbage
    before the process ends (whose exit then skips them too). What the build before in this process left
    frozen (a caller that builds several times) is given back to the collector first."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


#: a one-off build whose process grew beyond this many bytes lets go of Sphinx's application before the search
#: index is made (:func:`_let_go_of_the_build`)
LET_GO_ABOVE = 512 * 2**20


def _held_much() -> bool:
    """Whether this process grew beyond :data:`LET_GO_ABOVE` (its peak resident size; False where unknown)."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return False
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024) > LET_GO_ABOVE


def _let_go_of_the_build() -> None:
    """Free what the application of a one-off build held, once its pages are published and before Pagefind
    runs over several parts of the search index: the environment and the registers (at the Alfred Escher
    letters, 640–830 MB, beside which two Pagefind runs took up to 330 MB each). Sphinx's log handlers hold
    the application until the next one is made: they go, and the collector, paused for the build
    (:func:`_long_lived`), walks what the build left once (2–3 s at the Escher letters: a rebuild that makes
    one part again, and a small build, skip it); the C library gives back the pages freed. Nothing may log
    through Sphinx's loggers after this: the build report counts what Sphinx's handlers wrote."""
    import ctypes
    import logging

    sphinx_logger = logging.getLogger("sphinx")  # the namespace of Sphinx's loggers
    for handler in sphinx_logger.handlers[:]:
        if not type(handler).__module__.startswith("edition."):  # the build report's stays
            sphinx_logger.removeHandler(handler)
    gc.unfreeze()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to give back
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _warnings(count: int) -> str:
    return f"{count:,} warning{'s' if count != 1 else ''}"


def _published(report: BuildReport, out: Path) -> int:
    """The end of a build whose site was published: the summary, then where the site is and how it went."""
    report.print_summary()
    site = out / "index.html"
    if report.unreadable:
        files = f"{report.unreadable:,} TEI file{'s' if report.unreadable != 1 else ''}"
        print(f"edition: error: {files} cannot be read (above); the rest of the site is written to {site}",
              file=sys.stderr)
        return EXIT_PROBLEMS
    problems = f", with {_warnings(report.problems)} (above; --strict makes them errors)" if report.problems else ""
    print(f"edition: site written to {site}{problems}")
    return EXIT_OK


#: ``-j auto`` at most: the main process resolves the pages the writing processes write, and cannot keep many
#: more than two of them busy (resolving is a third of writing), while each adds its memory (250 MB at the
#: Alfred Escher letters)
AUTO_JOBS = 4


def _cpus() -> int:
    """``-j auto``: the CPUs this process may run on (its affinity and its cgroup's quota), at most
    :data:`AUTO_JOBS`."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        count = os.cpu_count() or 1
    with contextlib.suppress(OSError, ValueError):  # cgroup v2: "max 100000" or "<quota> <period>"
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            count = min(count, -(-int(quota) // int(period)))
    return max(1, min(count, AUTO_JOBS))


def _parallel_safe(app: Sphinx) -> bool:
    """Whether every extension of the project says it may be read and written in parallel (Sphinx warns of
    each one that does not, and reads or writes serially)."""
    return all(getattr(extension, "parallel_read_safe", None) and getattr(extension, "parallel_write_safe", None)
               for extension in app.extensions.values())


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"-j {value}: give a number of processes (1, 2, …) or 'auto'")
    return int(value)


def _save_traceback() -> str:
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile("w", prefix="edition-error-", suffix=".log", delete=False) as log:
        traceback.print_exc(file=log)
    return log.name


def cmd_validate(args: argparse.Namespace) -> int:
    from .check import validate as checks

    if args.files:
        texts = [Path(f) for f in args.files]
        registers = [Path(r) for r in args.register]
        everything = [*texts, *registers]
        root = Path(os.path.commonpath([str(p.resolve().parent) for p in everything])) if everything else Path()
        found = ProjectFiles(texts, registers, root, None, None)
    else:
        found = project_files(find_confdir(Path(args.project)))
        found.registers += [Path(r) for r in args.register]
    tei_all = Path(args.tei_all) if args.tei_all else checks.schema_path()
    from .core.kinds import KindError, kinds_from_config
    from .core.model import ModelError, ProcessingModel, rules_from_config
    from .core.register import key_match_from_config

    try:
        model = ProcessingModel(rules_from_config(found.model))
        kinds = kinds_from_config(found.kinds)
        key_match = key_match_from_config(found.key_match)
    except (ModelError, KindError, ValueError) as exc:
        raise UsageError(f"conf.py: {exc}") from None
    to_check = checks.Checks(found.texts, found.registers, found.root,
                             schema=Path(args.schema) if args.schema else found.schema,
                             rules=Path(args.rules) if args.rules else found.rules, tei_all=tei_all, model=model,
                             kinds=kinds, key_match=key_match)
    for path in to_check.files:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
    for label, path in (("--schema", to_check.schema), ("--rules", to_check.rules)):
        if path is not None and not path.is_file():
            raise UsageError(f"{path}: no such file ({label} or conf.py)")
    if tei_all is not None and not tei_all.is_file():
        raise UsageError(f"{tei_all}: no such file (${checks.SCHEMA_ENV} or --tei-all); download tei_all.rng from "
                         f"{checks.TEI_ALL_URL}")
    report = checks.validate(to_check)
    problems = report.sorted()
    warnings = report.warnings
    if args.format == "json":
        print(json.dumps({
            "problems": [p.to_dict() for p in problems],
            "files": len(to_check.files),
            "errors": report.errors,
            "warnings": warnings,
            "notices": report.notices,
            "timings": {stage: round(seconds, 3) for stage, seconds in report.timings},
        }, indent=2))
    else:
        for places, more in report.grouped(shown=len(problems) if args.verbose else 3):
            for problem in places:
                print(problem)
            if more > 0:
                print(f"edition: … and {more} more of the same {places[0].severity} (-v lists every one): "
                      f"{places[0].message}")
        for notice in report.notices:
            print(f"edition: note: {notice}", file=sys.stderr)
        if args.verbose:
            for stage, seconds in report.timings:
                print(f"edition: {seconds:6.2f} s  {stage}", file=sys.stderr)
        print(f"edition: {len(to_check.files)} file(s) checked, {report.errors} error(s), {warnings} warning(s)")
    return EXIT_PROBLEMS if report.errors else EXIT_OK


#: ``conf.py`` of a new project. Values from the TEI and the command line go in only as Python literals
#: (``repr``), never into comments or docstrings; ``html_title`` is the title as text (themes write it as HTML)
CONF_TEMPLATE = '''"""Sphinx configuration of this edition (made by 'edition init')."""

from html import escape

project = {title!r}
author = "the editors"
release = version = "1.0"
edition_published = {published!r}  # the date of this version: shown in "how to cite this page"
# html_baseurl = "https://example.org/my-edition/"  # set it to give every page a stable URL to cite
language = {language!r}  # the texts' main language: the search's stemmer and the theme's words
extensions = ["myst_parser", "sphinx_design", "edition"]

# The TEI files are the single source of truth; paths are relative to this file.
edition_texts = {texts!r}
edition_registers = {registers!r}

exclude_patterns = ["_build"]
smartquotes = False  # quotation marks stay as the TEI and the pages have them
myst_enable_extensions = ["colon_fence", "deflist"]
html_theme = "furo"
html_title = escape(project)  # themes write the title as HTML: escaped, it shows as written
{rights}
'''

#: the home page of a new project; ``title`` must be given through :func:`markdown_text`
INDEX_TEMPLATE = """# {title}

This edition publishes {count} TEI text(s). Every name is linked to its register entry ({registers}), every
date to the chronology, and every text can be downloaded as TEI.

```{{toctree}}
:maxdepth: 1

texts/index
{indexes}
chronology
downloads
```
"""

#: characters that may mean something to MyST (CommonMark lets a backslash escape each of them)
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _xml_char(c: str) -> bool:
    """Whether XML 1.0 allows the character (no control characters but tab and newlines, no surrogates)."""
    code = ord(c)
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


def markdown_text(value: str) -> str:
    """``value`` as MyST Markdown that shows it literally: one line, every ASCII punctuation mark escaped
    (no markup, HTML, role, directive, link or substitution can come through)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(value.split()))


def _parsed(path: Path, trees: dict[Path, etree._ElementTree] | None) -> etree._ElementTree:
    """The file at ``path`` (resolved) parsed, taken from ``trees`` (the files parsed before, to which it is
    added) where it is there."""
    tree = trees.get(path) if trees is not None else None
    if tree is None:
        tree = parse_file(path)
        if trees is not None:
            trees[path] = tree
    return tree


def included_files(sources: list[Path], folder: Path,
                   trees: dict[Path, etree._ElementTree] | None = None) -> list[Path]:
    """The files inside ``folder`` that ``sources`` include (``xi:include``), and those these include, each
    once. A file outside it (``/etc/passwd``, ``../../x``) is never copied, and one that is missing or cannot
    be read is left to the build to report. ``trees``: the files parsed already, by resolved path."""
    from .core.xinclude import include_target
    from .core.xmlparse import XI_NS

    found: dict[Path, None] = {}
    pending = [path.resolve() for path in sources]
    seen = set(pending)
    while pending:
        path = pending.pop()
        try:
            tree = _parsed(path, trees)
        except XMLError:
            continue
        for include in tree.iter(f"{{{XI_NS}}}include"):
            try:  # a name too long, or not one at all (a NUL), is the build's to report
                target, _why_not = include_target(include, path, folder)  # never on the network, never outside
            except (OSError, ValueError):
                continue
            if target is not None and target not in seen:
                seen.add(target)
                found[target] = None
                if include.get("parse", "xml") != "text":  # text is copied as it is, not read for includes
                    pending.append(target)
    return list(found)


def image_files(sources: list[Path], folder: Path, trees: dict[Path, etree._ElementTree] | None = None
                ) -> list[Path]:
    """The local page images inside ``folder`` that ``sources`` name (``@facs``, a graphic's ``@url``), each
    once, never one outside it or on the network. ``trees``: the files parsed already, by resolved path."""
    from .core.facsimile import local_images

    found: dict[Path, None] = {}
    for path in sources:
        try:
            root = _parsed(path.resolve(), trees).getroot()
        except XMLError:
            continue
        found.update(dict.fromkeys(local_images(root, str(path.resolve()), folder.resolve())))
    return list(found)


#: the longest licence that goes into every page's footer (a whole licence text stays on the texts' pages)
MAX_FOOTER = 160


def shared_text(roots: list, paths: tuple[str, ...]) -> str:
    """The first of these paths whose text is the same, and not empty, in every one of ``roots``."""
    for path in paths:
        values = {plain_text(found) if (found := root.find(path)) is not None else "" for root in roots}
        if len(values) == 1 and (value := values.pop()):
            return value
    return ""


def sphinx_language(tag: str) -> str:
    """Sphinx's name of the language of a BCP 47 tag (``de-CH`` → ``de``, ``pt-BR`` → ``pt_BR``); ``en`` for
    none."""
    parts = tag.replace("_", "-").split("-")
    primary = parts[0].lower() if parts[0].isalpha() else ""
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    if primary in ("pt", "zh", "sr") and region:
        return f"{primary}_{region.upper()}"
    return primary or "en"


def _undeclared(some: int, all_texts: int) -> str:
    """``the texts do not say their language``, ``3 of the 5 texts do not …``, ``the text does not say its …``."""
    if all_texts == 1:
        return "the text does not say its language"
    return ("the texts" if some == all_texts else f"{some:,} of the {all_texts:,} texts") + " do not say their language"


def cmd_init(args: argparse.Namespace) -> int:
    from .core.languages import LANGUAGE_NAMES, texts_language
    from .core.register import load_registry
    from .stubs import SUFFIX

    target = Path(args.directory)
    if target.exists() and any(target.iterdir()) and not args.force:
        raise UsageError(f"{target}: directory exists and is not empty (use --force to write into it)")
    texts = [Path(f) for f in args.tei]
    sources = texts + [Path(f) for f in args.register]
    is_text = set(texts)
    titles, roots = [], []
    trees: dict[Path, etree._ElementTree] = {}  # each file parsed once here (5,069 letters: 1.0 s a pass)
    for path in sources:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        try:
            tree = parse_file(path)
            root = require_tei(tree, str(path))
        except XMLError as exc:
            print(exc.problem, file=sys.stderr)
            return EXIT_PROBLEMS
        trees[path.resolve()] = tree
        roots += [root] if path in is_text else []  # (a set: thousands of texts)
        title = root.find(f".//{tei('titleStmt')}/{tei('title')}")
        titles.append(plain_text(title) if title is not None else path.stem)
    series = shared_text(roots, (f".//{tei('seriesStmt')}/{tei('title')}",
                                 f".//{tei('publicationStmt')}/{tei('publisher')}",
                                 f".//{tei('publicationStmt')}/{tei('p')}"))
    title = args.title or (titles[0] if len(args.tei) == 1 else series or f"{titles[0]} and other texts")
    licence = shared_text(roots, (f".//{tei('availability')}/{tei('licence')}", f".//{tei('availability')}/{tei('p')}"))
    unusable = sorted({f"U+{ord(c):04X}" for c in title if not _xml_char(c)})
    if unusable:
        raise UsageError(f"--title holds characters that XML cannot hold ({', '.join(unusable[:5])}); remove them")
    # keep the files' relative layout, so that pointers between them still resolve; the files they
    # xi:include (surfaces of a manuscript, parts of a text) come along
    common = Path(os.path.commonpath([p.resolve().parent for p in sources]))
    included = included_files(sources, common, trees)
    copies = {}
    for path in [*sources, *included, *image_files([*sources, *included], common, trees)]:
        destination = target / "tei" / path.resolve().relative_to(common)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        copies[path] = destination
    docs = target / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    found = texts_language(roots)
    language = sphinx_language(found.language)
    if found.undeclared and found.guessed and found.guessed == found.language:
        print(f"edition: {_undeclared(found.undeclared, len(roots))} (xml:lang, or langUsage in the header); "
              f"{'their' if found.undeclared > 1 else 'its'} words look {LANGUAGE_NAMES[found.guessed]}, so the "
              f"site's language is {language!r}: change 'language' in conf.py if it is not the texts'")
    elif found.undeclared and not found.language:
        print(f"edition: {_undeclared(found.undeclared, len(roots))} (xml:lang, or langUsage in the header), and "
              f"the words do not tell, so the site's language is {language!r}: set 'language' in conf.py to the "
              "texts' (the search's stemmer and the theme's words)")

    def rel(path: Path) -> str:
        return os.path.relpath(copies[path], docs).replace(os.sep, "/")

    (docs / "conf.py").write_text(CONF_TEMPLATE.format(
        title=title, published=datetime.date.today().isoformat(), texts=[rel(Path(f)) for f in args.tei],
        language=language,
        rights=f"copyright = {licence!r}  # the texts' availability" if 0 < len(licence) <= MAX_FOOTER else
        "html_show_copyright = False  # no short licence shared by the texts: each text's page shows its own",
        registers=[rel(Path(f)) for f in args.register],
    ), encoding="utf-8")
    kinds = load_registry([copies[Path(f)] for f in args.register], [copies[Path(f)] for f in args.tei],
                          target).indexed_kinds()  # the registers found, wherever they are: one index each
    (docs / "index.md").write_text(INDEX_TEMPLATE.format(
        title=markdown_text(title), count=len(args.tei), registers=", ".join(kind.plural for kind in kinds),
        indexes="\n".join(kind.index_docname for kind in kinds)), encoding="utf-8")
    (docs / "chronology.md").write_text("# Chronology\n\n```{chronology}\n```\n", encoding="utf-8")
    (docs / "downloads.md").write_text("# Downloads\n\nThe TEI files of this edition, unchanged.\n\n"
                                       "```{edition-downloads}\n```\n", encoding="utf-8")
    # the generated pages, of every kind of entry (an edition may add kinds: edition_kinds)
    (docs / ".gitignore").write_text(f"*{SUFFIX}\n_build/\n", encoding="utf-8")
    print(f"edition: project created in {target}; build it with: edition build {target}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    if args.watch:
        return _serve_watching(args)
    site = Path(args.site) if args.site else find_confdir(Path(".")) / "_build" / "html"
    if not (site / "index.html").is_file():
        raise UsageError(f"{site}: no built site here (index.html); run 'edition build' first, or "
                         "'edition serve PROJECT --watch' to build and watch it")
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(_serving_on(site, args.port))
        print(f"edition: serving {site} at {url} (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return EXIT_OK


@contextlib.contextmanager
def _serving_on(site: Path, port: int, live: LiveReload | None = None) -> Iterator[str]:
    """:func:`edition.serve.serving`, with a port that cannot be used as a one-line usage error."""
    from .serve import serving

    try:
        context = serving(site, port, live)
        url = context.__enter__()
    except OSError as exc:  # in use, or not ours to take
        reason = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror or exc})"
        raise UsageError(f"port {port} {reason}; choose another with -p (0: any free port)") from None
    try:
        yield url
    finally:
        context.__exit__(None, None, None)


def _serve_watching(args: argparse.Namespace) -> int:
    """``edition serve PROJECT --watch``: build, serve, build again on every save, reload the open pages; the
    search index is made again in the background once the pages are reloaded."""
    from .publish import sitebuild
    from .publish.buildreport import BuildReport
    from .serve import LiveReload
    from .watch import RELOAD_GRACE, BackgroundIndexing, KeptApplication, Loop, watch, watched_folders

    confdir = find_confdir(Path(args.site or "."))
    files = project_files(confdir)
    out = (confdir / "_build" / "html").resolve()
    build_args = argparse.Namespace(project=str(confdir), output=None, jobs=args.jobs, strict=False,
                                    verbose=False, quiet=True)
    live = LiveReload()

    def say(line: str) -> None:
        print(line, flush=True)

    def locked(index: Callable[..., Indexed]) -> Callable[[threading.Event], Indexed]:
        def run(cancel: threading.Event) -> Indexed:
            # the garbage of builds whose background work was stopped, freed once the reloaded pages are fetched
            # (a full collection holds every thread, the server's too)
            if kept.collect_due and not cancel.wait(RELOAD_GRACE):
                kept.collect_if_due()
            with sitebuild.build_lock(confdir / "_build"):  # no other build of the project meanwhile
                return index(cancel)
        return run

    indexing = BackgroundIndexing(say, live.search_changed)
    kept = KeptApplication(confdir, BuildReport(sys.stderr))
    loop = Loop(lambda later, changed: cmd_build(build_args, lambda index: later(locked(index)), kept, changed),
                live.changed, say, indexing)
    try:
        loop.run_build()
        if not (out / "index.html").is_file():
            print(f"edition: error: the first build wrote no site to {out} (see above)", file=sys.stderr)
            return EXIT_PROBLEMS
        folders = watched_folders(confdir, [*files.texts, *files.registers])
        with _serving_on(out, args.port, live) as url:
            def ready() -> None:
                print(f"edition: serving {out} at {url}; watching {', '.join(map(str, folders))} (Ctrl+C stops)",
                      flush=True)

            with contextlib.suppress(KeyboardInterrupt):
                watch(folders, (confdir / "_build").resolve(), loop.run_build, threading.Event(), ready)
    finally:
        indexing.stop()
        kept.close()
    return EXIT_OK


def _port(value: str) -> int:
    """A TCP port for ``-p``: a whole number from 0 to 65535."""
    if not value.isdecimal() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port: a whole number from 0 to 65535")
    return int(value)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edition", description="Publish TEI-encoded texts as Sphinx websites.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build", help="build the website",
        description="Build the HTML site of an edition project. Problems of the TEI (unresolved pointers, invalid "
                    "dates, duplicate ids…) are warnings: the site is written and the exit status is 0, unless "
                    "--strict. A TEI file that cannot be read makes it 1, with the rest of the site written. At the "
                    "end, a summary of the warnings by kind.")
    build.add_argument("project", nargs="?", default=".", help="project directory (default: the current one)")
    build.add_argument("-o", "--output", help="output directory (default: docs/_build/html)")
    build.add_argument("-j", "--jobs", help="parallel processes, a number or 'auto' (one per CPU this process may use, "
                                            "at most 4; the default)")
    build.add_argument("--strict", action="store_true",
                       help="warnings are errors: exit 1 and leave the published site as it was")
    # warnings do not fail a build: the default now, kept for the scripts that asked for it
    build.add_argument("--allow-warnings", action="store_true", help=argparse.SUPPRESS)
    build.add_argument("-v", "--verbose", action="store_true",
                       help="print every warning (default: the first ones of each kind, then how many more)")
    build.add_argument("-q", "--quiet", action="store_true", help="print only warnings, errors and the summary")
    build.set_defaults(func=cmd_build)

    check = commands.add_parser("validate", help="check TEI files",
                                description="Check TEI files: well-formedness, references to the register, ids, "
                                            "dates, the project's schema and Schematron rules, and conformance to "
                                            "the official TEI (tei_all.rng in $TEI_ALL_RNG). Exit 0 when clean, "
                                            "1 on errors, 2 on usage errors.")
    check.add_argument("files", nargs="*", help="TEI files (default: the project's texts and registers)")
    check.add_argument("-p", "--project", default=".", help="project directory when no files are given")
    check.add_argument("-r", "--register", action="append", default=[], help="a register file (repeatable)")
    check.add_argument("--schema", help="the project's RELAX NG schema (default: edition_schema in conf.py)")
    check.add_argument("--rules", help="the project's Schematron rules (default: edition_rules in conf.py)")
    check.add_argument("--tei-all", help="the official tei_all.rng (default: $TEI_ALL_RNG)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="print every place of each problem, and the time each stage took")
    check.set_defaults(func=cmd_validate)

    init = commands.add_parser("init", help="create an edition project from TEI files",
                               description="Create an edition project (tei/ and docs/) from TEI files.")
    init.add_argument("directory", help="the new project directory")
    init.add_argument("--tei", nargs="+", action="extend", required=True, metavar="FILE",
                      help="TEI texts to publish (repeatable: every file given is kept)")
    init.add_argument("--register", nargs="+", action="extend", default=[], metavar="FILE",
                      help="TEI files with registers (repeatable)")
    init.add_argument("--title", help="title of the edition (default: the first text's title)")
    init.add_argument("--force", action="store_true", help="write into an existing non-empty directory")
    init.set_defaults(func=cmd_init)

    serve = commands.add_parser("serve", help="preview a built site in the browser",
                                description="Serve a built site on http://127.0.0.1 for a preview.")
    serve.add_argument("site", nargs="?", metavar="PATH",
                       help="the built site (default: docs/_build/html); with --watch, the project (default: .)")
    serve.add_argument("-p", "--port", type=_port, default=8000, help="port, 0 to 65535 (default: 8000)")
    serve.add_argument("--watch", action="store_true",
                       help="build the project, serve it, build again on every save of a TEI file, register, page "
                            "or conf.py, and reload the open pages")
    serve.add_argument("-j", "--jobs", default="1", help="with --watch: parallel processes of the builds (default: 1)")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"edition: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
