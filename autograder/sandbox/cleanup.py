"""Finding and killing what a worker left behind: processes, then files.

Processes are found through ``/proc`` (the real uid of a sandbox user, or an
environment token in the fallback), because a ``setsid`` double-forked daemon
leaves both the worker's process group and its session.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path


def _status(pid: str) -> tuple[int, int, int, bool] | None:
    """``(real uid, effective uid, ppid, is_zombie)`` from ``/proc/<pid>/status``, None if gone.

    The status file, not the owner of ``/proc/<pid>``: a process that made
    itself non-dumpable shows a root-owned ``/proc/<pid>``.
    """
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            text = f.read()
    except OSError:  # gone meanwhile
        return None
    try:
        state = text[text.index(b"\nState:") + 8:].lstrip()[:1]
        ppid = int(text[text.index(b"\nPPid:") + 6:].split(None, 1)[0])
        uids = text[text.index(b"\nUid:") + 5:].split(None, 2)
        return int(uids[0]), int(uids[1]), ppid, state in (b"Z", b"X")
    except (ValueError, IndexError):
        return None


def processes_of_uid(uid: int) -> list[tuple[int, int, bool]]:
    """``(pid, ppid, is_zombie)`` of every process whose real or effective uid is ``uid``."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        status = _status(pid)
        if status is not None and uid in (status[0], status[1]):
            found.append((int(pid), status[2], status[3]))
    return found


def processes_with_token(token: str) -> list[tuple[int, int, bool]]:
    """Processes whose initial environment holds ``token`` (fallback, same uid)."""
    needle = token.encode()
    found = []
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read()
        except OSError:
            continue
        if needle in env:
            status = _status(pid)
            if status is not None:
                found.append((int(pid), status[2], status[3]))
    return found


def _kill_everything_as(uid: int, gid: int) -> None:
    """``kill(-1, SIGKILL)`` from a process running as ``uid``.

    The kernel delivers it to every process that uid may signal, i.e. all of
    its processes, in one sweep: a fork bomb cannot outrun a /proc scan.
    """
    def as_uid():
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        os.kill(-1, signal.SIGKILL)  # spares the caller, which then execs true

    true = shutil.which("true") or "/bin/true"
    try:
        subprocess.run([true], preexec_fn=as_uid, close_fds=True, timeout=10,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        pass  # the /proc sweep below still runs


def _reap(pids) -> None:
    """Reap orphans that re-parented to us (we are a child subreaper)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


def kill_until_gone(find, *, uid: int | None = None, gid: int | None = None,
                    timeout: float = 10.0, own=frozenset()) -> list[int]:
    """Kill every process ``find()`` returns until it returns none alive.

    Zombies re-parented to us are reaped, except ``own`` (pids of our
    ``Popen`` objects, which must reap them themselves to see the exit
    status); other zombies are dead already and are not waited for. Returns the pids still alive at ``timeout`` (empty
    when clean).
    """
    deadline = time.monotonic() + timeout
    me = os.getpid()
    while True:
        procs = find()
        _reap(pid for pid, ppid, _ in procs if ppid == me and pid not in own)
        alive = [pid for pid, _, zombie in procs if not zombie]
        if not alive:
            return []
        if time.monotonic() > deadline:
            return alive
        if uid is not None:
            _kill_everything_as(uid, gid)   # one sweep catches what forks meanwhile
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.002)


def _force_writable(func, path, exc_info) -> None:
    """rmtree error hook: a worker may leave ``chmod 000`` directories (non-root case)."""
    try:
        parent = os.path.dirname(path)
        os.chmod(parent, stat.S_IRWXU)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, stat.S_IRWXU)
        func(path)
    except OSError:
        pass


def remove_tree(path: Path) -> None:
    if sys.version_info >= (3, 12):  # onerror is deprecated there
        shutil.rmtree(path, onexc=lambda func, p, exc: _force_writable(func, p, None))
    else:
        shutil.rmtree(path, onerror=_force_writable)


def remove_files_of_uid(uid: int, places=("/tmp", "/var/tmp", "/dev/shm")) -> list[str]:
    """Delete the top-level entries a sandbox user left in the shared temp dirs."""
    removed = []
    for place in places:
        try:
            entries = list(os.scandir(place))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    remove_tree(Path(entry.path))
                else:
                    os.unlink(entry.path)
                removed.append(entry.path)
            except OSError:
                pass
    return removed


def remove_stale_scratch(gid: int, root: str, keep: Path) -> list[str]:
    """Delete ``nnkit-sandbox-*`` folders of group ``gid`` in ``root`` but ``keep``.

    A grader that was killed leaves its scratch (with a submission in
    ``runtime/``) readable by its slot's group; the next claimant of the slot
    must not be able to read it.
    """
    removed = []
    for entry in os.scandir(root):
        if not entry.name.startswith("nnkit-sandbox-") or os.path.abspath(entry.path) == os.path.abspath(keep):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if st.st_gid == gid and st.st_uid == 0 and stat.S_ISDIR(st.st_mode):
            remove_tree(Path(entry.path))
            removed.append(entry.path)
    return removed
