"""Finding and killing what a worker left behind: processes, then files.

Processes are found through ``/proc`` (the real uid of a sandbox user, or an
environment token in the fallback), because a ``setsid`` double-forked daemon
leaves both the worker's process group and its session.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

# Trees searched for world-writable folders (FHS places; not /usr, /etc, /proc, /sys, where an o+w
# folder would be a broken system) and the cache of what was found there.
WRITABLE_ROOTS = ("/tmp", "/var", "/run", "/dev/shm", "/dev/mqueue", "/srv", "/opt", "/home", "/mnt", "/media")
_WRITABLE: list[str] | None = None


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


# -- files ---------------------------------------------------------------------
# A worker can leave anything in the folders it may write: a chain of 1500+
# directories (recursive removers hit Python's recursion limit, and the path
# exceeds PATH_MAX), chmod 000 folders, a million files, symlink loops, FIFOs
# and sockets. The remover below is iterative and works relative to directory
# descriptors (one open at a time, ``..`` to climb back), never follows a
# symlink, never opens a FIFO, and stops at a time budget; what is left is
# logged for the instructor and locked away from the sandbox user, and removed
# by the next clean-up of the slot (``remove_stale_scratch``).

LOG = logging.getLogger("nnkit.sandbox")
CLEANUP_SECONDS = 30.0   # one removal's time budget (a million files on ext4 take ~10–20 s)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


@dataclass
class Removal:
    """What ``remove_tree`` did: entries removed, whether the tree is gone, and the first problem."""

    path: str
    removed: int = 0
    complete: bool = True
    problem: str = ""

    def __str__(self) -> str:
        state = "removed" if self.complete else f"NOT fully removed ({self.problem})"
        return f"{self.path}: {state}, {self.removed} entries deleted"


def _unlock(name: str, dir_fd: int) -> None:
    """Give the owner rwx on directory ``name`` (a worker may leave chmod 000 folders); no symlink followed."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode) and st.st_mode & 0o700 != 0o700:
            os.chmod(name, stat.S_IMODE(st.st_mode) | 0o700, dir_fd=dir_fd)
    except OSError:
        pass


def _first_subdir(fd: int, report: Removal, deadline: float) -> str | None:
    """Delete every non-directory entry of the open directory ``fd``; return one subdirectory's name, or None."""
    with os.scandir(fd) as entries:
        for entry in entries:
            if time.monotonic() > deadline:
                raise TimeoutError("time budget exhausted")
            try:
                if entry.is_dir(follow_symlinks=False):
                    return entry.name
                os.unlink(entry.name, dir_fd=fd)
                report.removed += 1
            except FileNotFoundError:
                pass
            except PermissionError:   # a read-only folder of the (non-root) grader's own user
                os.chmod(fd, 0o700)
                os.unlink(entry.name, dir_fd=fd)
                report.removed += 1
    return None


def remove_tree(path: Path, budget: float = CLEANUP_SECONDS) -> Removal:
    """Delete ``path`` and everything below it, iteratively, within ``budget`` seconds; never raises.

    Returns a ``Removal``; an incomplete one has been logged (``LOG``). A
    symlink at ``path`` itself is removed, not followed.
    """
    report = Removal(str(path))
    deadline = time.monotonic() + budget
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return report
    except OSError as exc:
        return _incomplete(report, f"lstat: {exc}")
    if not stat.S_ISDIR(st.st_mode):
        try:
            os.unlink(path)
            report.removed += 1
            return report
        except OSError as exc:
            return _incomplete(report, f"unlink: {exc}")
    try:
        parent = os.path.dirname(os.path.abspath(path))
        base = os.path.basename(os.path.abspath(path))
        pfd = os.open(parent, _DIR_FLAGS & ~os.O_NOFOLLOW)
        try:
            _unlock(base, pfd)
            top = os.open(base, _DIR_FLAGS, dir_fd=pfd)
        finally:
            os.close(pfd)
        os.close(_empty_tree(top, report, deadline))   # it closes what it holds if it fails
        os.rmdir(path)
        report.removed += 1
        return report
    except (OSError, TimeoutError) as exc:
        return _incomplete(report, f"{type(exc).__name__}: {exc}")


def _empty_tree(fd: int, report: Removal, deadline: float) -> int:
    """Delete everything below the open directory ``fd``, depth first, one descriptor open at a time.

    Descends into one subdirectory after another (``_first_subdir``), climbs
    back through ``..`` (checked against the parent it came from) and
    removes the emptied one. Returns the descriptor of the top again; on
    OSError or TimeoutError it closes the descriptor it holds and re-raises.
    """
    below: list[tuple[str, tuple[int, int]]] = []   # (name of the subdir entered, identity of its parent)
    try:
        while True:
            child = _first_subdir(fd, report, deadline)
            if child is not None:
                _unlock(child, fd)
                nfd = os.open(child, _DIR_FLAGS, dir_fd=fd)
                here = os.fstat(fd)
                below.append((child, (here.st_dev, here.st_ino)))
                os.close(fd)
                fd = nfd
                continue
            if not below:
                return fd
            name, parent = below.pop()
            up = os.open("..", _DIR_FLAGS & ~os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = up
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) != parent:   # never the case once the worker is dead: be safe
                raise OSError(f"a directory moved during clean-up (above {name!r})")
            os.rmdir(name, dir_fd=fd)
            report.removed += 1
    except BaseException:
        os.close(fd)
        raise


def _incomplete(report: Removal, problem: str) -> Removal:
    """Mark ``report`` incomplete, lock what is left away from its user (``lock_away``) and log it."""
    report.complete, report.problem = False, problem
    lock_away(Path(report.path))
    LOG.warning("nnkit sandbox clean-up: %s; locked away (root-owned, mode 0700) until the slot's next "
                "clean-up removes it", report)
    return report


def lock_away(path: Path) -> None:
    """Make the folder ``path`` unreachable for the sandbox user: owner root (group kept), mode 0700.

    As root only (the non-root fallback has no other user to keep out). A
    scratch folder stays findable by ``remove_stale_scratch`` (root-owned,
    the slot's group), which removes it before the slot is used again.
    """
    if os.geteuid() != 0:
        return
    try:
        st = os.lstat(path)
        if stat.S_ISDIR(st.st_mode):
            os.chown(path, 0, st.st_gid, follow_symlinks=False)
            os.chmod(path, 0o700)
    except OSError:
        pass


def writable_places(roots=WRITABLE_ROOTS, max_dirs: int = 20000) -> list[str]:
    """World-writable directories (``o+w``) below ``roots``, outermost first: where a sandbox user can
    leave files without namespaces (sub-folders of /tmp, ``/run/lock``, ...). Bounded: at most
    ``max_dirs`` directories are visited; cached per process (the system's layout does not change).
    """
    global _WRITABLE
    if _WRITABLE is not None and roots is WRITABLE_ROOTS:
        return list(_WRITABLE)
    found, seen, stack, visited = [], set(), [r for r in roots if os.path.isdir(r) and not os.path.islink(r)], 0
    while stack and visited < max_dirs:
        top = stack.pop()
        visited += 1
        try:
            st = os.lstat(top)
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            if st.st_mode & 0o002:
                found.append(top)
            if not st.st_mode & 0o001 and st.st_uid == 0 and st.st_gid == 0:
                continue  # root's and closed to others: a sandbox user cannot reach anything below
            with os.scandir(top) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("nnkit-sandbox-"):
                        stack.append(entry.path)
        except OSError:
            continue
    if stack:
        LOG.warning("nnkit sandbox clean-up: the search for world-writable folders stopped after %d folders; "
                    "files the sandbox user leaves in others are not removed", max_dirs)
    found.sort(key=lambda p: (p.count("/"), p))
    if roots is WRITABLE_ROOTS:
        _WRITABLE = found
    return list(found)


def remove_files_of_uid(uid: int, places=None) -> list[str]:
    """Delete what user ``uid`` left in writable shared folders; return the paths removed.

    ``places`` defaults to every world-writable folder ``writable_places()``
    finds (not only /tmp, /var/tmp and /dev/shm: also their root-owned
    sub-folders and /run/lock); in each, every entry owned by ``uid`` goes,
    with all it holds (``remove_tree``).
    """
    removed = []
    for place in writable_places() if places is None else places:
        try:
            entries = list(os.scandir(place))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
            except OSError:
                continue
            if remove_tree(Path(entry.path)).complete:
                removed.append(entry.path)
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
            lock_away(Path(entry.path))   # first: the slot's user must not reach it, even if some stays
            if remove_tree(Path(entry.path)).complete:
                removed.append(entry.path)
    return removed
