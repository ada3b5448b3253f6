"""Time budgets that measure the submission, not the machine.

A question's budget is charged with the time the worker *used*: the larger
of its CPU time (all threads, reaped children) and its wall time minus the
time it sat runnable in the kernel's run queue waiting for a CPU. So a busy
loop is charged its CPU seconds, a ``time.sleep`` or a blocking read its
wall seconds, and the seconds a loaded machine kept the worker waiting for a
core are not charged at all. Both numbers come from ``/proc/<pid>/stat``
(utime, stime, cutime, cstime) and ``/proc/<pid>/schedstat`` (run-queue
delay, in ns). Without the run-queue numbers (a kernel without
schedstats) only CPU time is charged and sleeps are left to the backstop;
without /proc at all (not Linux) the wall clock is charged.

What is not seen: CPU of the worker's own children before they are reaped
(a fork that burns CPU), and run-queue waits of the worker's extra threads;
both are bounded by the wall-clock backstop (``GradingConfig.backstop``).

Runs on Python 3.10 (ships in autograder.zip).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Usage:
    """What a process had used at one moment: ``cpu`` and ``queued`` seconds (None: unknown), ``wall`` (monotonic)."""

    wall: float
    cpu: float | None
    queued: float | None


def read_usage(pid: int | None) -> Usage:
    """``Usage`` of process ``pid`` now (a zombie still has its times); unknown fields are None."""
    now = time.monotonic()
    if pid is None:
        return Usage(now, None, None)
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            # the command name (field 2) may hold spaces and ')': split after its last ')'
            fields = f.read().rsplit(b")", 1)[1].split()
        cpu = sum(int(v) for v in fields[11:15]) / _TICKS   # utime stime cutime cstime
    except (OSError, IndexError, ValueError):
        return Usage(now, None, None)
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as f:
            queued = int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        queued = None
    return Usage(now, cpu, queued)


def charged(start: Usage, end: Usage) -> float:
    """Seconds of the submission's time between two readings of the same process.

    ``max(cpu, wall - run-queue wait)``; the CPU time alone without the
    run-queue numbers; the wall time where even the CPU time is missing.
    """
    wall = max(0.0, end.wall - start.wall)
    if start.cpu is None or end.cpu is None:
        return wall
    cpu = max(0.0, end.cpu - start.cpu)
    if start.queued is None or end.queued is None:
        return cpu   # no run-queue numbers: CPU time only; sleeps are left to the wall-clock backstop
    return max(cpu, wall - max(0.0, end.queued - start.queued))
