"""The sandbox that untrusted worker processes run in.

Interface used by the grading engine (``autograder.grading``); the isolation
work hardens what happens inside ``Sandbox.spawn`` (unprivileged user,
network namespace, resource limits, kill-everything clean-up) without
changing this interface. Must run on Python 3.10.

    with Sandbox(Limits(cpu_seconds=20)) as box:
        proc = box.spawn([python, worker_script], files={"worker.py": path})
        ...                       # talk to proc.stdin / proc.stdout
        box.kill_all()            # between questions if the worker misbehaved
    # on exit: every process of the sandbox killed and reaped, scratch wiped
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker process tree (``setrlimit`` units)."""

    cpu_seconds: int = 60
    address_space: int = 4 << 30   # bytes; numpy + a CNN on digits fit in this
    file_size: int = 64 << 20      # bytes a worker may write to one file
    processes: int = 64            # RLIMIT_NPROC (per user: only meaningful after a privilege drop)
    open_files: int = 64


@dataclass
class Sandbox:
    """A scratch directory plus the processes started in it.

    This first version gives the process boundary, a minimal environment, a
    private scratch directory, rlimits and a new session (so the whole group
    can be killed). The isolation issue adds the privilege drop and the
    network namespace.
    """

    limits: Limits = field(default_factory=Limits)
    scratch_root: Path | None = None

    def __post_init__(self):
        self.scratch = Path(tempfile.mkdtemp(prefix="nnkit-sandbox-", dir=self.scratch_root))
        self.runtime = self.scratch / "runtime"   # read-only code the worker runs
        self.work = self.scratch / "work"         # the worker's cwd and writable space
        self.runtime.mkdir()
        self.work.mkdir()
        self._procs: list[subprocess.Popen] = []

    # -- life cycle -----------------------------------------------------
    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def spawn(
        self,
        argv: list[str],
        *,
        files: dict[str, Path] | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> subprocess.Popen:
        """Start ``argv`` inside the sandbox, stdin/stdout as pipes, stderr to a file.

        ``files`` (name -> path) are copied into ``self.runtime`` first; the
        worker is started with cwd ``self.work`` and can import them when
        ``self.runtime`` is on its ``sys.path`` (put there via ``argv``).
        """
        for name, src in (files or {}).items():
            dest = self.runtime / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if Path(src).is_dir():
                shutil.copytree(src, dest, dirs_exist_ok=True)
            else:
                shutil.copy2(src, dest)
        env = minimal_env(self.work)
        env.update(extra_env or {})
        stderr = open(self.scratch / f"stderr-{len(self._procs)}.log", "wb")
        limits = self.limits

        def preexec():  # runs in the child, before exec
            import resource

            os.setsid()
            for res, value in (
                (resource.RLIMIT_CPU, limits.cpu_seconds),
                (resource.RLIMIT_AS, limits.address_space),
                (resource.RLIMIT_FSIZE, limits.file_size),
                (resource.RLIMIT_NOFILE, limits.open_files),
            ):
                resource.setrlimit(res, (value, value))

        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=self.work,
            env=env,
            preexec_fn=preexec,
            close_fds=True,
        )
        stderr.close()
        self._procs.append(proc)
        return proc

    def stderr_tail(self, proc: subprocess.Popen, limit: int = 2000) -> str:
        """The last ``limit`` characters the process wrote to stderr."""
        path = self.scratch / f"stderr-{self._procs.index(proc)}.log"
        try:
            data = path.read_bytes()[-limit:]
        except OSError:
            return ""
        return data.decode("utf-8", "replace")

    def kill_all(self) -> None:
        """Kill every process started here (their whole process groups) and reap them."""
        for proc in self._procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL'd
                pass
            for stream in (proc.stdin, proc.stdout):
                if stream:
                    try:
                        stream.close()
                    except OSError:
                        pass

    def close(self) -> None:
        """Kill everything, then wipe the scratch directory."""
        self.kill_all()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def describe(self) -> str:
        """Which mechanisms are active, for the instructor-only output."""
        return "process boundary, rlimits, new session; no privilege drop, no network isolation"


def minimal_env(home: Path) -> dict[str, str]:
    """The only environment a worker sees: no inherited variables, no secrets."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
