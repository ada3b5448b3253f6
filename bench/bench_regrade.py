"""Regrade throughput: a synthetic class graded with --jobs 2 versus --jobs 1.

    python bench/bench_regrade.py [--hw hw1_backprop] [-n 200] [--jobs 2]

Makes a synthetic Gradescope export of N submissions (correct, buggy from the
bank, correct alternatives, broken, hostile: sys.exit at import / os._exit in
a function; infinite loops are left out unless --with-infinite-loops, as each
costs the engine its per-question time limits), regrades it from scratch with
one job and with --jobs, in alternating rounds over slices of the class so
that both see the same background load (a shared machine is noisy), checks
that both gradebooks agree, and prints submissions per second and the
speed-up (target on 2 cores: >= 1.6x).
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


def _run(export: Path, hw: str, out: Path, jobs: int) -> tuple[float, float, list[dict]]:
    """(wall seconds, CPU seconds of the grading processes, gradebook rows) of one regrade from scratch."""
    cpu, start = _children_cpu(), time.perf_counter()
    summary = regrade(export, hw, out, jobs=jobs, progress=False, report=False)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    with summary.gradebook.open() as f:
        return seconds, cpu, list(csv.DictReader(f))


def _split(export: Path, rounds: int) -> list[Path]:
    """The export's submission folders spread over ``rounds`` plain folders (symlinks)."""
    folders = sorted(p for p in export.iterdir() if p.is_dir())
    parts = []
    for k in range(rounds):
        part = export.parent / f"round{k}"
        part.mkdir()
        for folder in folders[k::rounds]:
            (part / folder.name).symlink_to(folder, target_is_directory=True)
        parts.append(part)
    return parts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hw", default="hw1_backprop")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4,
                        help="alternate --jobs 1 and --jobs J on this many slices, so both see the same load")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--with-infinite-loops", action="store_true")
    args = parser.parse_args()
    hostile = HOSTILE if args.with_infinite_loops else tuple(h for h in HOSTILE if h != "infinite_loop")
    totals = {1: [0.0, 0.0], args.jobs: [0.0, 0.0]}
    same, ratios = True, []
    with tempfile.TemporaryDirectory(prefix="nnkit-bench-regrade-") as tmp:
        tmp = Path(tmp)
        make_export(tmp / "export", args.hw, args.n, args.seed, hostile=hostile)
        print(f"{args.n} submissions of {args.hw} on {os.cpu_count()} cores, {args.rounds} rounds "
              f"(load average {os.getloadavg()[0]:.1f} before)", flush=True)
        for k, part in enumerate(_split(tmp / "export", args.rounds)):
            order = (1, args.jobs) if k % 2 == 0 else (args.jobs, 1)  # alternate who goes first
            runs = {jobs: _run(part, args.hw, tmp / f"out{k}-{jobs}", jobs) for jobs in order}
            for jobs, (seconds, cpu, _) in runs.items():
                totals[jobs][0] += seconds
                totals[jobs][1] += cpu
            rows1, rowsj = runs[1][2], runs[args.jobs][2]
            for a, b in zip(rows1, rowsj):
                if (a["total"], a["status"]) != (b["total"], b["status"]):
                    same = False
                    print(f"  differs: {a['submission_id']}: jobs 1 {a['total']} {a['error']} | "
                          f"jobs {args.jobs} {b['total']} {b['error']}")
            ratios.append(runs[1][0] / runs[args.jobs][0])
            print(f"  round {k}: {len(rows1)} submissions, --jobs 1 {runs[1][0]:.1f} s, --jobs {args.jobs} "
                  f"{runs[args.jobs][0]:.1f} s, ratio {ratios[-1]:.2f}", flush=True)
    for jobs, (seconds, cpu) in totals.items():
        # cores used < jobs: the grading waited (start-up, I/O) or other processes took the CPU
        print(f"--jobs {jobs}: {seconds:7.1f} s  {args.n / seconds:6.2f} submissions/s  "
              f"(CPU {cpu / args.n:.2f} s per submission, {cpu / seconds:.2f} cores used)")
    ratio = totals[1][0] / totals[args.jobs][0]
    print(f"speed-up --jobs {args.jobs} / --jobs 1: {ratio:.2f}x (target >= 1.6x; per round "
          f"{', '.join(f'{r:.2f}' for r in ratios)}); gradebooks identical: {same}; "
          f"load average after {os.getloadavg()[0]:.1f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
