"""Sandbox costs: worker start-up and the round trip of a 100×100 float64 array.

Measured through the real path: ``Sandbox.spawn`` (privilege drop, namespaces,
seccomp, rlimits when root) of the grading engine's ``worker.py`` speaking
``protocol`` frames, calling a one-line submission function ``echo.echo(x)``
that returns its argument (so the array crosses the boundary both ways).
A raw pipe round trip (no protocol, no numpy encoding) is printed alongside
for scale. Targets (issue 5): start-up ≤ 0.2 s, round trip ≤ 1 ms median.

    python bench/bench_sandbox.py [--starts 10] [--trips 500]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.worker import protocol  # noqa: E402
from autograder.grading.client import WORKER_FILES, enlarge_pipes  # noqa: E402
from autograder.sandbox import Limits, Sandbox, worker_python  # noqa: E402


def _submission() -> Path:
    root = Path(tempfile.mkdtemp(prefix="nnkit-bench-"))
    (root / "nnkit").mkdir()
    (root / "nnkit" / "__init__.py").write_text("")
    (root / "nnkit" / "echo.py").write_text("def echo(x):\n    return x\n")
    return root


def _request(proc, header: dict, value=None, rid: int = 1):
    frame = protocol.pack_message(dict(header, id=rid), value)
    protocol.write_all(proc.stdin.fileno(), frame)
    reply, result = protocol.unpack_message(protocol.read_frame(proc.stdout.fileno(), time.monotonic() + 30))
    if reply.get("id") != rid or not reply.get("ok"):
        raise RuntimeError(f"bad reply {reply}")
    return result


def _start(box: Sandbox, python: str, submission: Path):
    files = dict(WORKER_FILES)
    files["submission"] = submission
    argv = [python, "-I", "-B", str(box.runtime / "worker.py"), str(box.runtime / "submission")]
    proc = box.spawn(argv, files=files)
    enlarge_pipes(proc)  # as the grading client does
    _request(proc, {"op": "hello"})
    return proc


def bench_startup(python: str, submission: Path, n: int) -> tuple[list[float], list[float], str]:
    """(spawn+hello seconds, whole-sandbox seconds incl. close, describe())."""
    starts, whole = [], []
    text = ""
    for _ in range(n):
        t0 = time.perf_counter()
        with Sandbox(Limits()) as box:
            t1 = time.perf_counter()
            _start(box, python, submission)
            starts.append(time.perf_counter() - t1)
            text = box.describe()
        whole.append(time.perf_counter() - t0)
    return starts, whole, text


def bench_startup_unsandboxed(python: str, submission: Path, n: int) -> list[float]:
    """The same worker start-up with a plain Popen (no user, namespaces, limits): the sandbox's share."""
    import subprocess

    runtime = Path(tempfile.mkdtemp(prefix="nnkit-bench-rt-"))
    for name, src in WORKER_FILES.items():
        shutil.copy(src, runtime / name)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        proc = subprocess.Popen([python, "-I", "-B", str(runtime / "worker.py"), str(submission)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        _request(proc, {"op": "hello"})
        times.append(time.perf_counter() - t0)
        proc.kill()
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()
    shutil.rmtree(runtime, ignore_errors=True)
    return times


def bench_round_trip(python: str, submission: Path, n: int) -> list[float]:
    x = np.random.default_rng(0).standard_normal((100, 100))
    times = []
    with Sandbox(Limits()) as box:
        proc = _start(box, python, submission)
        for i in range(n + 20):
            t0 = time.perf_counter()
            out = _request(proc, {"op": "call", "target": "echo.echo"}, [[x], {}], rid=i + 2)
            dt = time.perf_counter() - t0
            if i >= 20:   # warm-up: the first call imports the module
                times.append(dt)
        assert np.array_equal(out, x)
    return times


def bench_raw_pipe(n: int) -> list[float]:
    """80 KB each way through a pair of pipes to a cat-like child: the floor."""
    import subprocess

    payload = os.urandom(80_000)
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import os\nwhile True:\n d=os.read(0,1<<20)\n if not d: break\n os.write(1,d)"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    enlarge_pipes(child)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        os.write(child.stdin.fileno(), payload)
        got = 0
        while got < len(payload):
            got += len(os.read(child.stdout.fileno(), 1 << 20))
        times.append(time.perf_counter() - t0)
    child.stdin.close()
    child.wait()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--trips", type=int, default=500)
    args = parser.parse_args()
    python = worker_python()
    submission = _submission()
    starts, whole, text = bench_startup(python, submission, args.starts)
    plain = bench_startup_unsandboxed(python, submission, args.starts)
    trips = bench_round_trip(python, submission, args.trips)
    raw = bench_raw_pipe(args.trips)
    shutil.rmtree(submission, ignore_errors=True)
    ms = 1000.0
    print(f"bench_sandbox: {text}")
    print(f"bench_sandbox: worker python {python}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"bench_sandbox: worker start-up (spawn + python + numpy + worker.py + hello reply), n={len(starts)}: "
          f"median {statistics.median(starts) * ms:.0f} ms, min {min(starts) * ms:.0f} ms (target <= 200 ms)")
    print(f"bench_sandbox: same start-up without the sandbox (plain Popen), n={len(plain)}: "
          f"median {statistics.median(plain) * ms:.0f} ms, min {min(plain) * ms:.0f} ms")
    print(f"bench_sandbox: whole sandbox life (slot, scratch, start-up, kill-by-uid clean-up, wipe): "
          f"median {statistics.median(whole) * ms:.0f} ms")
    print(f"bench_sandbox: round trip of a 100x100 float64 array each way through protocol + worker "
          f"(echo.echo), n={len(trips)}: median {statistics.median(trips) * ms:.3f} ms, "
          f"p90 {sorted(trips)[int(0.9 * len(trips))] * ms:.3f} ms (target <= 1 ms)")
    print(f"bench_sandbox: raw pipe round trip of 80 KB (no protocol), n={len(raw)}: "
          f"median {statistics.median(raw) * ms:.3f} ms")


if __name__ == "__main__":
    main()
