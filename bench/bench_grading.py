"""Grading time per homework: the reference submission graded end to end.

Two figures per homework, each the median of REPEATS runs:
- in-process: ``grade_submission`` (collect, worker start, every hidden
  test, clean-up) in a warm grader process;
- cold: ``python -m autograder.grading.run`` against a fake AUTOGRADER_ROOT,
  as Gradescope runs it (interpreter start and imports included; the worker
  interpreter given as run_autograder gives it, NNKIT_WORKER_PYTHON).
Target (issue 4): ≤ 3 s median per homework on 2 cores. Also the protocol
round trip of a 100×100 float64 array each way (issue 5: ≤ 1 ms median).
"""

from __future__ import annotations

import os
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


def main() -> None:
    print(f"grading the reference, median of {REPEATS} runs ({os.cpu_count()} cores)")
    print(f"{'homework':<14} {'in-process':>11} {'cold run':>9}  score")
    for hw in list_homeworks():
        warm, score = in_process(hw)
        print(f"{hw:<14} {warm:>10.2f}s {cold(hw):>8.2f}s  {score:g}", flush=True)
    print(f"protocol round trip, 100×100 float64 each way: {round_trip() * 1e3:.2f} ms median")


if __name__ == "__main__":
    main()
