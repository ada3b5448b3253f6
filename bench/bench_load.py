"""Scores do not depend on load: a mixed class regraded on a quiet and on a 4x oversubscribed machine.

    python bench/bench_load.py [--hw hw1_backprop] [--hw hw3_cnn] [--factor 4] [--jobs 2]

The class, per homework: the reference, every correct alternative of the
bank (the naive-loop ones included), one mutant, a submission whose function
hangs (an endless loop), one that sleeps forever at import, and one that
crashes (os._exit in a function). It is regraded from scratch with the real
engine (``nnkit regrade``) once quietly and once with ``factor`` x the cores
of busy processes started here (killed at the end). The gradebooks must be
identical (every question's score, every status); the bench prints both wall
times and their ratio. Exit status 1 if the gradebooks differ.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.instructor.bank import build_submission, load_bank, write_reference  # noqa: E402
from autograder.instructor.regrade import regrade  # noqa: E402

HANG = "\n\ndef {name}(*args, **kwargs):\n    while True:\n        pass\n"
SLEEP_AT_IMPORT = "\n\nimport time as _time\n_time.sleep(10 ** 6)\n"
CRASH = "\n\ndef {name}(*args, **kwargs):\n    import os\n    os._exit(3)\n"


def make_class(export: Path, hw: str) -> list[str]:
    """Write the mixed class of ``hw`` into ``export``; the submission ids."""
    ids = []

    def add(name: str) -> Path:
        ids.append(f"{hw}-{name}")
        return export / ids[-1]

    write_reference(add("reference"), hw)
    for entry in load_bank(hw, "correct"):
        build_submission(entry, add(f"correct-{entry.name}"))
    mutant = next(e for e in load_bank(hw, "buggy") if e.killed_by)
    build_submission(mutant, add(f"mutant-{mutant.name}"))
    first = mutant.module   # a module of the homework, and one of its functions
    function = mutant.api_functions[0]
    for name, text in (("hang", HANG.format(name=function)), ("sleep-at-import", SLEEP_AT_IMPORT),
                       ("crash", CRASH.format(name=function))):
        package = write_reference(add(name), hw)
        with open(package / f"{first}.py", "a") as f:
            f.write(text)
    return ids


@contextmanager
def busy_machine(factor: int):
    """``factor`` x the cores of CPU-bound processes (each ends by itself after an hour), killed on exit."""
    hog = "import time\nend = time.monotonic() + 3600\nwhile time.monotonic() < end:\n    pass\n"
    procs = [subprocess.Popen([sys.executable, "-c", hog]) for _ in range(factor * (os.cpu_count() or 1))]
    try:
        yield len(procs)
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


def graded(export: Path, hw_of: dict, out: Path, jobs: int) -> tuple[float, dict]:
    """(wall seconds, {submission id: gradebook row without the error text}) of a regrade from scratch."""
    start = time.perf_counter()
    rows = {}
    for hw in sorted(set(hw_of.values())):
        part = out / f"export-{hw}"
        part.mkdir(parents=True)
        for sid, owner in hw_of.items():
            if owner == hw:
                (part / sid).symlink_to(export / sid, target_is_directory=True)
        summary = regrade(part, hw, out / hw, jobs=jobs, progress=False, report=False)
        with summary.gradebook.open() as f:
            for row in csv.DictReader(f):
                rows[row["submission_id"]] = {k: v for k, v in row.items() if k != "error"}
    return time.perf_counter() - start, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hw", action="append", help="homework (repeatable; default hw1_backprop)")
    parser.add_argument("--factor", type=int, default=4, help="busy processes per core while loaded")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    homeworks = args.hw or ["hw1_backprop"]
    with tempfile.TemporaryDirectory(prefix="nnkit-bench-load-") as tmp:
        export = Path(tmp) / "export"
        hw_of = {}
        for hw in homeworks:
            hw_of.update({sid: hw for sid in make_class(export, hw)})
        print(f"class: {len(hw_of)} submissions of {', '.join(homeworks)} "
              f"(reference, correct alternatives, a mutant, hang, sleep at import, crash); jobs {args.jobs}")
        quiet_s, quiet = graded(export, hw_of, Path(tmp) / "quiet", args.jobs)
        print(f"quiet:  {quiet_s:7.1f} s", flush=True)
        with busy_machine(args.factor) as hogs:
            loaded_s, loaded = graded(export, hw_of, Path(tmp) / "loaded", args.jobs)
        print(f"loaded: {loaded_s:7.1f} s with {hogs} busy processes on {os.cpu_count()} cores "
              f"({args.factor}x oversubscribed); wall-time ratio loaded/quiet {loaded_s / quiet_s:.2f}")
    differ = sorted(sid for sid in quiet if quiet[sid] != loaded.get(sid))
    for sid in differ:
        print(f"DIFFERENT {sid}:\n  quiet  {quiet[sid]}\n  loaded {loaded.get(sid)}")
    for sid in sorted(quiet):
        print(f"  {sid:55s} {quiet[sid]['total']:>6s} {quiet[sid]['status']}")
    print("gradebooks identical" if not differ else f"{len(differ)} row(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
