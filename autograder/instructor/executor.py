"""Grade many submissions in parallel, one fresh process each, resumably.

Used by ``nnkit regrade`` (a class) and ``nnkit audit`` (the bank). Each
submission is graded by ``python -m autograder.instructor.grade_one`` in its
own session, from a thread pool of ``jobs`` threads: the grading engine's own
work (reference outputs, comparisons) is numpy in that process, so processes,
not threads, are what run in parallel; the threads only wait. A child that
hangs past ``timeout`` is killed with its whole process group, one that dies
leaves an error for its row only, and results appear atomically (a rerun
skips them). Ctrl-C kills the running children and keeps what is written.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from autograder.instructor.grade_one import DEFAULT_GRADER

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Job:
    """One submission to grade; its results.json goes to ``results_path``."""

    id: str
    submission: Path
    results_path: Path
    problem: str | None = None  # known not gradable (empty, unreadable): reported, never run


@dataclass
class Outcome:
    """What became of a job: ``results`` (the results.json dict) or ``error`` (one line)."""

    id: str
    results: dict | None = None
    error: str | None = None
    seconds: float = 0.0
    reused: bool = False  # results.json was already there (a resumed run)


def load_results(path: Path) -> dict | None:
    """A previously written results.json, or None when absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "tests" in data else None


class Grader:
    """Runs ``grade_one`` for a job with a homework/reference pair, a grader spec and a timeout.

    Inputs:
    - homework, reference: folders as made by ``autograder.grading.homework_from_repo``
    - grader: ``module:function`` with grade_submission's signature
    - timeout: seconds for one whole submission before its process group is killed
    - pythonpath: extra import roots for the child (e.g. where a test's fake grader lives)
    """

    def __init__(self, homework: Path, reference: Path, grader: str = DEFAULT_GRADER,
                 timeout: float = 600.0, pythonpath: tuple[Path, ...] = ()):
        if timeout <= 0:
            raise ValueError(f"timeout must be > 0 seconds, got {timeout}")
        self.homework, self.reference = Path(homework), Path(reference)
        self.grader, self.timeout = grader, timeout
        paths = [str(p) for p in pythonpath] + [str(ROOT)]
        if os.environ.get("PYTHONPATH"):
            paths.append(os.environ["PYTHONPATH"])
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYTHONDONTWRITEBYTECODE": "1"}
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self.stopping = False

    def run(self, job: Job) -> Outcome:
        start = time.monotonic()
        if job.problem:
            return Outcome(job.id, error=job.problem)
        if self.stopping:
            return Outcome(job.id, error="interrupted")
        argv = [sys.executable, "-m", "autograder.instructor.grade_one", self.grader,
                str(job.submission), str(self.homework), str(self.reference), str(job.results_path)]
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=self.env, start_new_session=True)
        with self._lock:
            self._running.add(proc)
        try:
            _, err = proc.communicate(timeout=self.timeout)
            error = None if proc.returncode == 0 else self._reason(proc.returncode, err)
        except subprocess.TimeoutExpired:
            self._kill(proc)
            proc.communicate()
            error = f"grading took longer than {self.timeout:g} s and was stopped"
        finally:
            with self._lock:
                self._running.discard(proc)
        if error is None:
            results = load_results(job.results_path)
            if results is None:
                error = "the grader exited without writing a valid results.json"
            return Outcome(job.id, results=results, error=error, seconds=time.monotonic() - start)
        return Outcome(job.id, error=error, seconds=time.monotonic() - start)

    def _reason(self, code: int, err: bytes) -> str:
        if self.stopping:
            return "interrupted"
        if code < 0:
            what = f"killed by signal {signal.Signals(-code).name}" if -code in signal.valid_signals() else f"signal {-code}"
        else:
            what = f"exit status {code}"
        lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
        return f"the grading process failed ({what})" + (f": {lines[-1].strip()[:300]}" if lines else "")

    @staticmethod
    def _kill(proc: subprocess.Popen) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the child and everything it started
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        """Kill every running child (Ctrl-C); jobs not started yet return 'interrupted'."""
        self.stopping = True
        with self._lock:
            for proc in list(self._running):
                self._kill(proc)


def grade_all(jobs: list[Job], grader: Grader, workers: int | None = None,
              progress: bool = True, desc: str = "grading") -> list[Outcome]:
    """Grade ``jobs`` with ``workers`` parallel processes; outcomes in the order of ``jobs``.

    A job whose results.json already exists is not graded again (``reused``).
    On KeyboardInterrupt the children are killed and the interrupt propagates;
    every results.json written so far stays.
    """
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise ValueError(f"jobs must be >= 1, got {workers}")
    outcomes: dict[str, Outcome] = {}
    todo = []
    for job in jobs:
        previous = None if job.problem else load_results(job.results_path)
        if previous is not None:
            outcomes[job.id] = Outcome(job.id, results=previous, reused=True)
        else:
            todo.append(job)
    bar = tqdm(total=len(jobs), initial=len(jobs) - len(todo), desc=desc, unit="sub",
               disable=not progress, file=sys.stderr)
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = {pool.submit(grader.run, job): job for job in todo}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.id] = outcome
            bar.update(1)
    except BaseException:
        grader.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
        raise
    pool.shutdown(wait=True)
    bar.close()
    return [outcomes[job.id] for job in jobs]
