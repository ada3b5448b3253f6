"""Run every bench/bench_*.py, in name order, with this interpreter (`make bench`).

Each benchmark prints its own results; a benchmark that fails is reported and
the others still run. The exit status is 1 if any failed.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print(f"no bench_*.py in {HERE}")
        return 1
    failed = []
    for script in scripts:
        print(f"=== {script.name} ({sys.executable})", flush=True)
        # output goes straight to our stdout/stderr, so it appears as it runs
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        if code != 0:
            print(f"!!! {script.name} exited with status {code}", flush=True)
            failed.append(script.name)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
