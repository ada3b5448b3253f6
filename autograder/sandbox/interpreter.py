"""An interpreter the sandbox user can run, with numpy.

Pitfall: the grader's own interpreter may live under a private home directory
(``/root/.pyenv``, mode 0700), which another user cannot execute, and a
virtual environment made from it inherits the problem. A venv made from the
system ``python3`` works. Candidates, first that works wins:

1. ``$NNKIT_WORKER_PYTHON`` (set by ``setup.sh``/the instructor);
2. the grader's own interpreter (not root: always; root: if the sandbox user
   can run it and import numpy, and it is not under a hidden path such as a
   ``.venv`` inside the repository — Gradescope, where setup.sh pip-installs
   into the system python);
3. ``/usr/bin/python3``, ``/usr/local/bin/python3`` likewise;
4. a venv built once from a system ``python3`` with the grader's numpy
   version, cached in ``/var/cache/nnkit`` (root-owned, world-readable).
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

CACHE_DIR = Path(os.environ.get("NNKIT_WORKER_CACHE", "/var/cache/nnkit"))


def _numpy_version() -> str:
    import numpy

    return numpy.__version__


def _hidden(python: str) -> bool:
    """Is ``python`` (as given or resolved) under a path the sandbox hides from the worker?"""
    from autograder.sandbox import default_secret_paths

    given = Path(os.path.abspath(python))
    for secret in default_secret_paths():
        secret = secret.resolve()
        for path in (given, given.resolve()):
            if path == secret or secret in path.parents:
                return True
    return False


def runs_as(python: str, uid: int | None, gid: int | None, code: str = "import numpy") -> bool:
    """Can ``uid`` start ``python`` and run ``code``, with the sandbox's empty environment?

    An interpreter under a hidden path (a venv inside the repository) never qualifies.
    """
    if not python or not os.path.exists(python) or _hidden(python):
        return False
    kwargs = {}
    if uid is not None:
        kwargs = {"user": uid, "group": gid, "extra_groups": []}
    try:
        done = subprocess.run(
            [python, "-I", "-c", code], env={"PATH": "/usr/bin:/bin"}, cwd="/",
            stdin=subprocess.DEVNULL, capture_output=True, timeout=60, **kwargs,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _build_venv(base: str, dest: Path) -> None:
    """Create ``dest`` from ``base`` and install the grader's numpy version into it."""
    tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run([base, "-m", "venv", str(tmp)], check=True, capture_output=True)
    subprocess.run(
        [str(tmp / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         f"numpy=={_numpy_version()}"],
        check=True, capture_output=True,
    )
    # venv writes absolute paths into its scripts, so build in place is not
    # possible; the interpreter itself (bin/python) only needs pyvenv.cfg,
    # which names the base by absolute path, so a rename is safe.
    tmp.rename(dest)


def venv_base(uid: int, gid: int) -> str:
    """A system interpreter the sandbox user can run and that can make venvs."""
    for base in ("/usr/bin/python3", "/usr/local/bin/python3", getattr(sys, "_base_executable", "")):
        if base and runs_as(base, uid, gid, code="import venv, ensurepip"):
            return base
    raise RuntimeError("no world-executable python3 with venv/ensurepip to build the worker venv from; "
                       "install python3-venv or set NNKIT_WORKER_PYTHON")


def cached_venv(base: str = "/usr/bin/python3") -> str:
    """``bin/python`` of the cached worker venv, built on first use (≈10 s, needs pip access)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    os.chmod(CACHE_DIR, 0o755)
    tag = subprocess.run([base, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    dest = CACHE_DIR / f"worker-py{tag}-numpy{_numpy_version()}"
    python = dest / "bin" / "python"
    if python.exists():
        return str(python)
    with open(CACHE_DIR / ".build.lock", "w") as guard:  # one builder across processes
        fcntl.flock(guard, fcntl.LOCK_EX)
        if not python.exists():
            started = time.monotonic()
            _build_venv(base, dest)
            print(f"nnkit sandbox: built worker venv {dest} in {time.monotonic() - started:.1f} s",
                  file=sys.stderr)
    return str(python)


@functools.lru_cache(maxsize=None)
def worker_python() -> str:
    """Path of an interpreter the sandbox user can execute and that imports numpy."""
    override = os.environ.get("NNKIT_WORKER_PYTHON")
    if override:
        return override
    if os.geteuid() != 0:
        return sys.executable  # no privilege drop: the worker runs as us
    from autograder.sandbox.users import claim_slot

    slot = claim_slot()
    try:
        for candidate in (sys.executable, "/usr/bin/python3", "/usr/local/bin/python3"):
            if runs_as(candidate, slot.uid, slot.gid):
                return candidate
        venv = cached_venv(venv_base(slot.uid, slot.gid))
        if runs_as(venv, slot.uid, slot.gid):
            return venv
    finally:
        slot.release()
    raise RuntimeError(
        "no Python with numpy that the sandbox user can run: set NNKIT_WORKER_PYTHON "
        f"(tried {sys.executable}, /usr/bin/python3, /usr/local/bin/python3, {venv})"
    )
