"""Sandbox users: one unprivileged user per concurrent sandbox ("slot").

Clean-up kills every process of the sandbox's user, so two sandboxes running
at once (``nnkit regrade --jobs 2``, pytest-xdist) must not share a user:
slot ``k`` is the user ``nnkit-sb<k>``, held through an exclusive ``flock`` on
a lock file in a root-only directory for as long as the sandbox lives (the
kernel releases it if the grader dies). Users are created on first use with
``useradd`` when missing; on Gradescope ``setup.sh`` creates them up front::

    for i in 0 1; do id -u nnkit-sb$i >/dev/null 2>&1 || useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nnkit-sb$i; done
"""

from __future__ import annotations

import fcntl
import os
import pwd
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

USER_PREFIX = "nnkit-sb"
MAX_SLOTS = 16


@dataclass
class Slot:
    """A claimed sandbox user; ``release()`` gives it back."""

    name: str
    uid: int
    gid: int
    _lock_fd: int

    def release(self) -> None:
        if self._lock_fd >= 0:
            os.close(self._lock_fd)  # closing drops the flock
            self._lock_fd = -1


def lock_dir() -> Path:
    """A directory only root can write, for the slot lock files."""
    for base in (Path("/run"), Path(tempfile.gettempdir())):
        path = base / "nnkit-sandbox"
        try:
            path.mkdir(mode=0o700, exist_ok=True)
            st = path.lstat()
            # A directory someone else made (or a symlink) could be a trap.
            if st.st_uid == 0 and not (st.st_mode & 0o022) and path.is_dir() and not path.is_symlink():
                return path
        except OSError:
            continue
    raise RuntimeError("no root-owned directory for the sandbox lock files (/run, $TMPDIR)")


def ensure_user(name: str) -> pwd.struct_passwd:
    """The passwd entry of ``name``, creating the system user if it is missing."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    # useradd refuses to run while another useradd holds /etc/passwd: serialise
    # ours (pytest-xdist workers) and retry a few times for anyone else's.
    with open(lock_dir() / "useradd.lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        for attempt in range(5):
            try:
                return pwd.getpwnam(name)
            except KeyError:
                pass
            done = subprocess.run(
                ["useradd", "--system", "--user-group", "--no-create-home",
                 "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name],
                capture_output=True, text=True,
            )
            if done.returncode in (0, 9):  # 9: exists (someone else was faster)
                return pwd.getpwnam(name)
            time.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"cannot create the sandbox user {name!r}: {done.stderr.strip()}")


def claim_slot(timeout: float = 600.0) -> Slot:
    """Claim the first free slot (creating its user if needed); waits up to ``timeout`` s if all are busy."""
    directory = lock_dir()
    deadline = time.monotonic() + timeout
    while True:
        for k in range(MAX_SLOTS):
            fd = os.open(directory / f"slot-{k}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                entry = ensure_user(f"{USER_PREFIX}{k}")
            except BaseException:
                os.close(fd)
                raise
            return Slot(entry.pw_name, entry.pw_uid, entry.pw_gid, fd)
        if time.monotonic() > deadline:
            raise RuntimeError(f"all {MAX_SLOTS} sandbox slots stayed busy for {timeout:.0f} s")
        time.sleep(0.05)
