"""Grading time per homework: the reference submission graded end to end.

Two figures per homework, each the median of REPEATS runs:
- in-process: ``grade_submission`` (collect, worker start, every hidden
  test, clean-up) in a warm grader process;
- cold: ``python -m autograder.grading.run`` against a fake AUTOGRADER_ROOT,
  as Gradescope runs it (interpreter start and imports included; the worker
  interpreter given as run_autograder gives it, NNKIT_WORKER_PYTHON).
Target (issue 4): ≤ 3 s median per homework on 2 cores. Also the protocol
round trip of a 100×100 float64 array each way (issue 5: ≤ 1 ms median).

    python bench/bench_grading.py                 # this tree
    python bench/bench_grading.py --against REV   # and the commit REV, in the same command

``--against`` checks REV out in a temporary git worktree and runs this very
script there too (its own engine, hidden tests and reference), alternating
the two trees per homework so that both see the same machine, then prints
each figure of this tree as a ratio to REV's (below 1: faster now).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from autograder.repo import list_homeworks  # noqa: E402
from autograder.grading import grade_submission  # noqa: E402
from autograder.repo import homework_from_repo  # noqa: E402
from autograder.grading.client import WorkerClient  # noqa: E402
from autograder.sandbox import worker_python  # noqa: E402
from grading_support import make_source, reference_copy  # noqa: E402

REPEATS = 5


def in_process(hw: str) -> tuple[float, float]:
    homework, reference = homework_from_repo(hw)
    times, score = [], 0.0
    grade_submission(ROOT / "solutions", homework, reference)  # warm-up: imports, caches
    for _ in range(REPEATS):
        started = time.perf_counter()
        score = grade_submission(ROOT / "solutions", homework, reference)["score"]
        times.append(time.perf_counter() - started)
    return statistics.median(times), score


def cold(hw: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_source(root / "source", hw)
        reference_copy(root / "submission")
        env = dict(os.environ, AUTOGRADER_ROOT=str(root), NNKIT_WORKER_PYTHON=worker_python())
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "autograder.grading.run"], cwd=root / "source", env=env,
                           check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        return statistics.median(times)


def round_trip() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "nnkit"
        pkg.mkdir()
        (pkg / "__init__.py").write_text("")
        (pkg / "gates.py").write_text("def add_forward(x, y):\n    return x + y\n")
        x = np.ones((100, 100))
        with WorkerClient(Path(tmp)) as client:
            client.call("gates.add_forward", x, x)
            times = []
            for _ in range(300):
                started = time.perf_counter()
                client.call("gates.add_forward", x, x)
                times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(hw: str) -> dict:
    """``{"in_process": s, "cold": s, "score": points}`` of grading the reference of ``hw``."""
    warm, score = in_process(hw)
    return {"in_process": warm, "cold": cold(hw), "score": score}


def measure_in(tree: Path, hw: str) -> dict:
    """``measure(hw)`` run by this script in the checkout ``tree`` (another commit's engine)."""
    script = tree / "bench" / "_bench_grading_now.py"
    shutil.copy2(Path(__file__), script)
    done = subprocess.run([sys.executable, str(script), "--json", hw], cwd=tree, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the bench failed in {tree} for {hw}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def against(rev: str) -> None:
    """This tree's figures as ratios to those of commit ``rev``, measured in the same command."""
    with tempfile.TemporaryDirectory(prefix="nnkit-bench-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), rev], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            print(f"grading the reference, median of {REPEATS} runs ({os.cpu_count()} cores): "
                  f"this tree against {rev}")
            print(f"{'homework':<14} {'in-process':>22} {'cold run':>22}  score")
            for hw in list_homeworks():
                then, now = measure_in(base, hw), measure(hw)
                cells = [f"{now[k]:.2f}s/{then[k]:.2f}s = {now[k] / then[k]:.2f}" for k in ("in_process", "cold")]
                print(f"{hw:<14} {cells[0]:>22} {cells[1]:>22}  {now['score']:g} ({then['score']:g})", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="also bench commit REV and print ratios")
    parser.add_argument("--json", metavar="HW", help=argparse.SUPPRESS)   # one homework, as JSON (--against)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.json)))
        return
    if args.against:
        against(args.against)
        return
    print(f"grading the reference, median of {REPEATS} runs ({os.cpu_count()} cores)")
    print(f"{'homework':<14} {'in-process':>11} {'cold run':>9}  score")
    for hw in list_homeworks():
        m = measure(hw)
        print(f"{hw:<14} {m['in_process']:>10.2f}s {m['cold']:>8.2f}s  {m['score']:g}", flush=True)
    print(f"protocol round trip, 100×100 float64 each way: {round_trip() * 1e3:.2f} ms median")


if __name__ == "__main__":
    main()
