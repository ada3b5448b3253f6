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
import time
from pathlib import Path


def _status_fields(pid: str) -> dict[str, str] | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except OSError:  # gone meanwhile
        return None
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def processes_of_uid(uid: int) -> list[tuple[int, int, bool]]:
    """``(pid, ppid, is_zombie)`` of every process whose real or effective uid is ``uid``."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        fields = _status_fields(pid)
        if fields is None:
            continue
        uids = fields.get("Uid", "").split()
        if len(uids) >= 2 and (int(uids[0]) == uid or int(uids[1]) == uid):
            zombie = fields.get("State", "").startswith(("Z", "X"))
            found.append((int(pid), int(fields.get("PPid", "0")), zombie))
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
            fields = _status_fields(pid) or {}
            zombie = fields.get("State", "").startswith(("Z", "X"))
            found.append((int(pid), int(fields.get("PPid", "0")), zombie))
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
        if uid is not None:
            _kill_everything_as(uid, gid)
        procs = find()
        _reap(pid for pid, ppid, _ in procs if ppid == me and pid not in own)
        alive = [pid for pid, _, zombie in procs if not zombie]
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if not alive:
            # Zombies of ours: reap once more after the kill landed.
            _reap(pid for pid, ppid, _ in find() if ppid == me and pid not in own)
            return []
        if time.monotonic() > deadline:
            return alive
        time.sleep(0.005)


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
