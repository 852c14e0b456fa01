"""Profile the watch mode's rebuild after the save of one text: the builds of ``edition serve --watch``, with one
kept Sphinx application (:class:`edition.watch.KeptApplication`), without the server and the browser.

Usage::

    python scripts/profile_watch.py PROJECT [--text FILE] [--saves 2] [--top 40] [--output FILE.prof]

The first build (the application made, the environment loaded) is not profiled; then each save puts a few
words at the start of the first paragraph of FILE (default: the first text of the project's ``conf.py``) and
the build that follows is timed (wall and CPU seconds); the last is profiled with cProfile and its top
functions by cumulative time printed, with the time the garbage collector took in each build. The work a
watch mode's build leaves for after its pages (the ``teiCorpus`` export, the search index) is not done: the
next ``edition build`` or ``edition serve --watch`` does it. The project is built in place: give a copy.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import edit_text


class CollectorTime:
    """The time the cyclic garbage collector took, and how often it ran, by generation."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.runs = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds[info["generation"]] += time.perf_counter() - self._started
            self.runs[info["generation"]] += 1

    def said(self) -> str:
        return ", ".join(f"gen {g}: {n} runs {s:.2f} s" for g, (n, s) in enumerate(zip(self.runs, self.seconds,
                                                                                        strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--text", type=Path, help="the text saved (default: the first of conf.py)")
    parser.add_argument("--saves", type=int, default=2, help="saves, each followed by a build (the last profiled)")
    parser.add_argument("--top", type=int, default=40, help="functions shown, by cumulative time")
    parser.add_argument("--output", type=Path, help="where to write the profile (pstats format)")
    args = parser.parse_args()

    from edition.cli import cmd_build, find_confdir, project_files
    from edition.publish.buildreport import BuildReport
    from edition.watch import KeptApplication

    confdir = find_confdir(args.project)
    text = (args.text or project_files(confdir).texts[0]).resolve()
    build_args = argparse.Namespace(project=str(confdir), output=None, jobs="1", strict=False, verbose=False,
                                    quiet=True)
    kept = KeptApplication(confdir, BuildReport(sys.stderr))
    try:
        started = time.perf_counter()
        cmd_build(build_args, lambda index: None, kept)
        print(f"first build: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for save in range(args.saves):
            edit_text(text, f"Profiled edit {time.time_ns()}.")
            profile = cProfile.Profile() if save == args.saves - 1 else None
            collector = CollectorTime()
            gc.callbacks.append(collector)
            wall, cpu = time.perf_counter(), time.process_time()
            if profile is not None:
                profile.enable()
            cmd_build(build_args, lambda index: None, kept, {text})
            if profile is not None:
                profile.disable()
            gc.callbacks.remove(collector)
            print(f"save {save + 1}: {time.perf_counter() - wall:.2f} s, {time.process_time() - cpu:.2f} CPU s"
                  f"{' (profiled)' if profile is not None else ''}; garbage collector: {collector.said()}",
                  file=sys.stderr)
    finally:
        kept.close()
    if args.output:
        profile.dump_stats(args.output)
    pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
