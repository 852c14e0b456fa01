"""Time a full ``edition build`` of a project and sample the memory of its processes, as a reader of ``top``
would count it.

    python scripts/build_memory.py PROJECT [-j N] [--checkout DIR] [--timeline FILE]

PROJECT is a folder made by ``edition init``; it is copied (without ``_build``) into a temporary folder, as
``bench.py --rebuild`` copies it, and built there in a fresh process (the environment of ``bench.py``'s), with
this checkout's ``edition`` or the one of ``--checkout`` (a source folder of another version, such as a git
worktree, put first on ``PYTHONPATH`` and the build's working folder, since ``python -m`` looks there first).
Every half second the script reads the main process's resident size and the proportional size (PSS, Linux's
``smaps_rollup``) of the main process and all its descendants summed: the forked processes of ``-j N`` share
most of their pages with the main one, and PSS counts each shared page once in all. It prints the wall and CPU
seconds, both peaks, and what the build was saying at each peak; ``--timeline`` keeps every sample.
Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import REPO, child_environment  # scripts/ is first on a script's sys.path

SAMPLE = 0.5  # seconds between samples


def resident(pid: int) -> int:
    """The resident size of ``pid`` in bytes (0 once it ended)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def proportional(pid: int) -> int:
    """The proportional set size of ``pid`` in bytes (0 once it ended)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """The processes below ``pid``."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    found, stack = [], list(parents.get(pid, []))
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(parents.get(child, []))
    return found


def last_line(path: Path) -> str:
    """What the build said last (its progress lines end in carriage returns on a terminal)."""
    try:
        with path.open("rb") as log:
            log.seek(max(0, path.stat().st_size - 400))
            lines = log.read().decode("utf-8", "replace").replace("\r", "\n").strip().splitlines()
    except OSError:
        return ""
    return lines[-1][:70] if lines else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("-j", "--jobs", default="auto", help="as edition build's (default: auto, as its own)")
    parser.add_argument("--checkout", type=Path, default=REPO, help="the source folder of the version to build with")
    parser.add_argument("--timeline", type=Path, help="write every sample here: seconds, main MB, all MB, saying")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="build-memory-") as folder:
        copy = Path(folder) / "project"
        shutil.copytree(args.project.resolve(), copy, ignore=shutil.ignore_patterns("_build"), symlinks=True)
        log = Path(folder) / "build.log"
        environment = child_environment(args.checkout.resolve())
        started = time.monotonic()
        with log.open("w") as out:
            # ``-m`` puts the current folder first on the path: run in the checkout's, so that its toolkit is run
            build = subprocess.Popen([sys.executable, "-m", "edition.cli", "build", str(copy), "-j", args.jobs],
                                     env=environment, stdout=out, stderr=subprocess.STDOUT, cwd=args.checkout)
        main_peak = (0, "")
        all_peak = (0, "")
        with contextlib.ExitStack() as stack:
            timeline = stack.enter_context(args.timeline.open("w")) if args.timeline else None
            while build.poll() is None:
                own = resident(build.pid)
                every = proportional(build.pid) + sum(proportional(child) for child in descendants(build.pid))
                saying = last_line(log)
                main_peak = max(main_peak, (own, saying))
                all_peak = max(all_peak, (every, saying))
                if timeline:
                    timeline.write(f"{time.monotonic() - started:.1f} {own / 2**20:.0f} {every / 2**20:.0f} "
                                   f"{saying}\n")
                time.sleep(SAMPLE)
        wall = time.monotonic() - started
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"exit {build.returncode}; wall {wall:.1f} s; CPU {used.ru_utime + used.ru_stime:.1f} s")
        print(f"main process: peak {main_peak[0] / 2**20:.0f} MB (saying: {main_peak[1]})")
        print(f"all processes (PSS): peak {all_peak[0] / 2**20:.0f} MB (saying: {all_peak[1]})")
        if build.returncode:
            print(log.read_text(encoding="utf-8", errors="replace")[-2000:], file=sys.stderr)
        return build.returncode


if __name__ == "__main__":
    sys.exit(main())
