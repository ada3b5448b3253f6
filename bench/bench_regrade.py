"""Regrade throughput: a synthetic class graded with --jobs 2 versus --jobs 1.

    python bench/bench_regrade.py [--hw hw1_backprop] [-n 200] [--jobs 2]

Makes a synthetic Gradescope export of N submissions (correct, buggy from the
bank, correct alternatives, broken, hostile: sys.exit at import / os._exit in
a function; infinite loops are left out unless --with-infinite-loops, as each
costs the engine its per-question time limits), regrades it from scratch once
with one job and once with --jobs, checks that both gradebooks agree, and
prints submissions per second and the speed-up (target on 2 cores: >= 1.6x).
The whole-class regrade of issue 6 uses the real grading engine.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.instructor.regrade import regrade  # noqa: E402
from autograder.instructor.synthetic import HOSTILE, make_export  # noqa: E402


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every grading process, once it has exited
    return usage.ru_utime + usage.ru_stime


def _run(export: Path, hw: str, out: Path, jobs: int, n: int) -> tuple[float, list[dict]]:
    cpu, start = _children_cpu(), time.perf_counter()
    summary = regrade(export, hw, out, jobs=jobs, progress=False, report=False)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    # cores used < jobs means the grading waited (I/O, start-up) or other processes took the CPU
    print(f"--jobs {jobs}: {seconds:7.1f} s  {n / seconds:6.2f} submissions/s  "
          f"(CPU {cpu / n:.2f} s per submission, {cpu / seconds:.2f} cores used)", flush=True)
    with summary.gradebook.open() as f:
        return seconds, list(csv.DictReader(f))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hw", default="hw1_backprop")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--with-infinite-loops", action="store_true")
    args = parser.parse_args()
    hostile = HOSTILE if args.with_infinite_loops else tuple(h for h in HOSTILE if h != "infinite_loop")
    with tempfile.TemporaryDirectory(prefix="nnkit-bench-regrade-") as tmp:
        tmp = Path(tmp)
        make_export(tmp / "export", args.hw, args.n, args.seed, hostile=hostile)
        print(f"{args.n} submissions of {args.hw} on {os.cpu_count()} cores "
              f"(load average {os.getloadavg()[0]:.1f} before)", flush=True)
        t1, rows1 = _run(tmp / "export", args.hw, tmp / "out1", 1, args.n)
        tj, rowsj = _run(tmp / "export", args.hw, tmp / "outj", args.jobs, args.n)
    same = [(r["submission_id"], r["total"], r["status"]) for r in rows1] == \
           [(r["submission_id"], r["total"], r["status"]) for r in rowsj]
    for a, b in zip(rows1, rowsj):
        if (a["total"], a["status"]) != (b["total"], b["status"]):
            print(f"  differs: {a['submission_id']}: jobs 1 {a['total']} {a['error']} | "
                  f"jobs {args.jobs} {b['total']} {b['error']}")
    ratio = t1 / tj
    print(f"speed-up --jobs {args.jobs} / --jobs 1: {ratio:.2f}x (target >= 1.6x); gradebooks identical: {same}; "
          f"load average after {os.getloadavg()[0]:.1f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
