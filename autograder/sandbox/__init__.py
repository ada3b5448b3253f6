"""The sandbox that untrusted worker processes run in.

Interface used by the grading engine (``autograder.grading``); must run on
Python 3.10 (Gradescope) and 3.11+.

    with Sandbox(Limits(cpu_seconds=20)) as box:
        proc = box.spawn([worker_python(), "-I", str(box.runtime / "worker.py")],
                         files={"worker.py": path})
        ...                       # talk to proc.stdin / proc.stdout
        box.kill_all()            # between questions if the worker misbehaved
    # on exit: every process of the sandbox killed and reaped, scratch wiped

What a worker gets, by mechanism (``describe()`` says which are active):

- grader is root (Gradescope, CI): the worker runs as a sandbox user of its
  own (``nnkit-sb<k>``, one per concurrent sandbox, see ``users.py``),
  privileges dropped in the child (setgroups([]), setresgid, setresuid);
  new network, mount, IPC and UTS namespaces: no network at all, and every
  secret path (the repository/``source/``, ``results/``, what the caller
  adds) covered by an empty read-only tmpfs. Without namespaces (some Docker
  set-ups) the secret paths are made unreadable to others with chmod instead.
  In the namespaces the work dir, /tmp, /var/tmp, /dev/shm and /run are
  fresh size-limited tmpfs mounts (``Limits.disk``), private to each worker
  (no host daemon's unix socket under /run, nothing left for the next one).
- always: a new session, rlimits (CPU, address space, file size, processes,
  open files, no core files), a minimal environment, umask 077, a fresh
  session keyring, a seccomp filter allowing only ``AF_UNIX`` sockets and
  no ``connect``/``sendto`` to an address/``sendmsg`` (no host unix socket
  reachable, with or without namespaces), and one refusing to send SIGKILL, SIGTERM, SIGHUP, SIGINT, SIGQUIT (so that a
  worker dead of one was killed from outside: ``signals.py``), no
  inherited file descriptors.
- Landlock, when the kernel has it (``describe()`` says): the worker creates
  and writes files only in its work dir (and, with namespaces, its private
  tmpfs mounts); abstract unix sockets and signals stay inside the sandbox;
  TCP bind/connect refused. No privileges needed: it holds inside Docker too,
  if the container's seccomp profile lets the Landlock calls through.
- clean-up: every process of the sandbox user is killed (``kill(-1)`` as
  that user, then a /proc sweep, repeated until none is left; orphans are
  re-parented to the grader, a child subreaper, and reaped), then the
  scratch directory and the user's files in every world-writable folder
  (/tmp, /var/tmp, /dev/shm, /run/lock, their sub-folders, ...) go, removed
  iteratively within a time budget (``cleanup.remove_tree``); what is left is
  logged, locked away from the user and removed before the slot is reused.
- grader is not root (a student's laptop): same process boundary, limits
  and seccomp filter, no privilege drop and no hidden paths: the worker can
  read what the grader's user can. Clean-up finds the worker's processes by
  an environment token instead of a uid.

What is not blocked (and why):

- Wall-clock time: rlimits count CPU seconds only; a sleeping worker is
  stopped by the grading engine's budgets (``grading/budget.py``: CPU or
  sleeping time, with a wall-clock backstop), then ``kill_all()``.
- RAM used through the private tmpfs mounts (up to 5 × ``Limits.disk``) is
  outside RLIMIT_AS; a cgroup memory limit would cover it but cgroups are
  not writable on Gradescope, so none is used.
- /proc shows every process's command line (not its memory, environment or
  files: other uids); a PID namespace would hide them but makes the worker
  a PID 1 that must reap, for little gain: cmdlines are not secret.
- Without namespaces (Docker's default seccomp profile refuses
  unshare/mount, likely on Gradescope): secret paths are protected by
  permissions only (chmod o-rwx, left in place); without Landlock too, the
  shared world-writable folders are cleaned after the fact (host unix sockets
  stay out of reach: seccomp refuses connect).
- The non-root fallback is no security boundary: the worker can read the
  reference and hidden tests, and without Landlock also write results/ and
  signal the grader. It is meant for students grading their own work.
- Inside the worker everything is the submission's: it can patch the
  worker's code, forge its replies (including the "inputs modified" flag)
  and break its own answers to other questions. The trusted side never
  takes a verdict from the worker, only values it checks itself.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from autograder.sandbox import cleanup, linux, signals
from autograder.sandbox.interpreter import worker_python
from autograder.sandbox.users import Slot, claim_slot

__all__ = ["Limits", "Sandbox", "minimal_env", "worker_python", "default_secret_paths", "namespaces_refused",
           "REFUSE_NAMESPACES_ENV"]


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker process tree (``setrlimit`` units)."""

    cpu_seconds: int = 60
    address_space: int = 4 << 30   # bytes; numpy + a CNN on digits fit in this
    file_size: int = 64 << 20      # bytes a worker may write to one file
    processes: int = 64            # RLIMIT_NPROC, per sandbox user (threads count too)
    open_files: int = 64
    disk: int = 64 << 20           # bytes of each private tmpfs (work dir, /tmp, /var/tmp, /dev/shm, /run): RAM-backed


_SUBREAPER_PID = -1
_CAPABILITIES: dict[str, bool] | None = None


def _become_subreaper() -> None:
    """Orphaned daemons of a worker re-parent to us, so that we can reap them.

    Per process: a forked child (a process pool) does not inherit the flag.
    """
    global _SUBREAPER_PID
    if _SUBREAPER_PID != os.getpid():
        try:
            linux.set_child_subreaper()
        except OSError:
            pass
        _SUBREAPER_PID = os.getpid()


def _probe(preexec) -> bool:
    """Does ``preexec`` succeed in a throw-away child?"""
    try:
        subprocess.run([shutil.which("true") or "/bin/true"], preexec_fn=preexec, close_fds=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=10, check=True)
        return True
    except (OSError, subprocess.SubprocessError):
        return False


# Test mode: behave as under Docker's default seccomp profile, which refuses
# unshare, mount and setns (likely on Gradescope), so that the no-namespace
# path is exercised on every CI run, not only described. Read at every call:
# a test may set it for one grading run.
REFUSE_NAMESPACES_ENV = "NNKIT_SANDBOX_NO_NAMESPACES"


def namespaces_refused() -> bool:
    """Is the "namespaces refused" test mode on (``$NNKIT_SANDBOX_NO_NAMESPACES=1``)?"""
    return os.environ.get(REFUSE_NAMESPACES_ENV, "") not in ("", "0")


def capabilities() -> dict[str, bool]:
    """Which kernel mechanisms work here: ``{"namespaces": bool, "seccomp": bool}``.

    Probed once per process; ``namespaces`` is False in the "namespaces
    refused" test mode (``namespaces_refused()``) whatever the kernel allows.
    """
    probed = _probed_capabilities()
    if namespaces_refused():
        probed["namespaces"] = False
    return probed


def _probed_capabilities() -> dict[str, bool]:
    """What the kernel allows here (probed once per process, in throw-away children)."""
    global _CAPABILITIES
    if _CAPABILITIES is None:
        root = os.geteuid() == 0
        probe_dir = tempfile.mkdtemp(prefix="nnkit-probe-")

        def namespaces():
            linux.unshare(linux.CLONE_NEWNS | linux.CLONE_NEWNET | linux.CLONE_NEWIPC | linux.CLONE_NEWUTS)
            linux.make_mounts_private()
            linux.hide_path(probe_dir.encode(), True)

        try:
            _CAPABILITIES = {
                "namespaces": root and _probe(namespaces),
                "seccomp": linux.seccomp_available() and _probe(linux.install_network_filter),
                "landlock": linux.landlock_abi() > 0 and _probe(linux.Landlock([probe_dir]).restrict),
            }
        finally:
            os.rmdir(probe_dir)
    return dict(_CAPABILITIES)


# Shared writable places a worker gets a private tmpfs over (namespaces only):
# nothing left for the next worker, no host daemon's unix socket (/run).
PRIVATE_MOUNTS = ("/tmp", "/var/tmp", "/dev/shm", "/run")


def _private_scratch_root() -> str | None:
    """``/var/lib/nnkit-scratch`` (root-owned, 0711), or None for the temp dir."""
    path = Path("/var/lib/nnkit-scratch")
    try:
        path.mkdir(mode=0o711, exist_ok=True)
        st = path.lstat()
        if st.st_uid == 0 and not path.is_symlink() and path.is_dir():
            os.chmod(path, 0o711)
            return str(path)
    except OSError:
        pass
    return None


def default_secret_paths() -> list[Path]:
    """What a worker must never read: ``$AUTOGRADER_ROOT/{source,results}`` and the grader's own tree.

    The grader's tree is the folder holding the ``autograder`` package when it
    looks like the repository or an unzipped autograder.zip (it has
    ``solutions``, ``reference``, ``assignments`` or ``homework`` next to it),
    else only the package itself.
    """
    paths = []
    root = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    for sub in ("source", "results"):
        if (root / sub).exists():
            paths.append(root / sub)
    package = Path(__file__).resolve().parents[1]
    top = package.parent
    if any((top / name).exists() for name in ("solutions", "reference", "assignments", "homework")):
        paths.append(top)
    else:
        paths.append(package)
    return paths


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def _normalise_secrets(paths) -> list[Path]:
    """Resolved, existing, outermost-first, without paths nested in another."""
    resolved = sorted({Path(p).resolve() for p in paths if Path(p).exists()}, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for p in resolved:
        if p == Path("/"):
            raise ValueError("secret_paths: '/' cannot be hidden from the worker (it needs an interpreter)")
        if not any(_inside(p, k) for k in kept):
            kept.append(p)
    return kept


@dataclass
class Sandbox:
    """A scratch directory plus the processes started in it, as an unprivileged user when root.

    ``secret_paths`` are hidden from the worker in addition to
    ``default_secret_paths()`` (root only; the non-root fallback cannot hide
    anything). ``privilege_drop=False`` forces the non-root fallback even as
    root (used to test the fallback on CI).
    """

    limits: Limits = field(default_factory=Limits)
    scratch_root: Path | None = None
    secret_paths: Sequence[Path] = ()
    privilege_drop: bool = True

    def __post_init__(self):
        self.privileged = self.privilege_drop and os.geteuid() == 0
        self._procs: list[subprocess.Popen] = []
        self._slot: Slot | None = None
        self._token = secrets.token_hex(16)
        self._closed = False
        self.leftovers: list[int] = []   # pids that survived clean-up (should stay empty)
        self.chmodded: list[Path] = []   # secret paths made unreadable by chmod (no namespaces)
        self.secrets = _normalise_secrets([*default_secret_paths(), *self.secret_paths])
        caps = capabilities()
        self.namespaces = self.privileged and caps["namespaces"]
        self.seccomp = caps["seccomp"]
        self.landlock = caps.get("landlock", False)   # writes confined to the work dir (linux.Landlock)
        _become_subreaper()

        root = self.scratch_root
        if root is None and self.namespaces:
            root = _private_scratch_root()   # outside /tmp and /run, which the worker gets a tmpfs over
        self.scratch = Path(tempfile.mkdtemp(prefix="nnkit-sandbox-", dir=root))
        for secret in self.secrets:
            if _inside(self.scratch.resolve(), secret):
                shutil.rmtree(self.scratch)
                raise ValueError(f"scratch directory {self.scratch} lies inside the secret path {secret}")
        self.runtime = self.scratch / "runtime"   # read-only code the worker runs
        self.work = self.scratch / "work"         # the worker's cwd, HOME, TMPDIR
        self.runtime.mkdir()
        self.work.mkdir()
        try:
            self._set_up_user()
        except BaseException:
            if self._slot is not None:
                self._slot.release()
            cleanup.remove_tree(self.scratch)
            raise

    def _set_up_user(self) -> None:
        """Claim a slot, clear what a crashed predecessor left, give the scratch to the slot's user."""
        if self.privileged:
            self._slot = claim_slot()
            # A grader that crashed may have left processes of this user behind.
            cleanup.kill_until_gone(lambda: cleanup.processes_of_uid(self._slot.uid),
                                    uid=self._slot.uid, gid=self._slot.gid)
            if not self.landlock:  # with Landlock no worker of a slot can write outside its scratch
                cleanup.remove_files_of_uid(self._slot.uid)
            cleanup.remove_stale_scratch(self._slot.gid, str(self.scratch.parent), keep=self.scratch)
            gid = self._slot.gid
            os.chown(self.scratch, 0, gid)
            os.chmod(self.scratch, 0o710)          # only this slot's user may enter
            os.chown(self.runtime, 0, gid)
            os.chmod(self.runtime, 0o750)          # it reads, never writes
            os.chown(self.work, self._slot.uid, gid)
            os.chmod(self.work, 0o700)
            if not self.namespaces:
                self._chmod_secrets()

    # -- life cycle -----------------------------------------------------
    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def user(self) -> str | None:
        """Name of the sandbox user, None in the fallback."""
        return self._slot.name if self._slot else None

    @property
    def uid(self) -> int:
        return self._slot.uid if self._slot else os.getuid()

    def _private_mounts(self) -> list[Path]:
        """PRIVATE_MOUNTS that exist, are real directories and do not hold our scratch."""
        scratch = self.scratch.resolve()
        return [Path(p) for p in PRIVATE_MOUNTS
                if os.path.isdir(p) and not os.path.islink(p) and not _inside(scratch, Path(p))]

    def _writable(self) -> list[str]:
        """Where Landlock lets the worker create files: its work dir, and the private tmpfs mounts (namespaces only)."""
        return [str(self.work), *(str(p) for p in self._private_mounts() if self.namespaces)]

    def _covered(self) -> list[Path]:
        """Everything the worker cannot see at its host path (namespaces only)."""
        return [*self.secrets, *self._private_mounts()]

    def _chmod_secrets(self) -> None:
        """No mount namespace: make each secret path unreadable to others (left so; not undone)."""
        for secret in self.secrets:
            mode = secret.stat().st_mode
            if mode & 0o007:
                os.chmod(secret, mode & ~0o007)
                self.chmodded.append(secret)

    def _install_files(self, files: dict[str, Path]) -> None:
        for name, src in files.items():
            dest = self.runtime / name
            if not _inside(dest.resolve(), self.runtime.resolve()):
                raise ValueError(f"files: {name!r} would land outside the runtime directory")
            dest.parent.mkdir(parents=True, exist_ok=True)
            if Path(src).is_dir():
                shutil.copytree(src, dest, dirs_exist_ok=True, symlinks=False)
            else:
                shutil.copy2(src, dest)
        if self.privileged:
            # Copies keep the source's modes (maybe 0700 in a tmp dir): make the
            # tree readable to the slot's group only, never writable.
            gid = self._slot.gid
            for dirpath, dirnames, filenames in os.walk(self.runtime):
                os.chown(dirpath, 0, gid)
                os.chmod(dirpath, 0o750)
                for name in filenames:
                    path = os.path.join(dirpath, name)
                    os.chown(path, 0, gid, follow_symlinks=False)
                    if not os.path.islink(path):
                        os.chmod(path, 0o750 if os.stat(path).st_mode & 0o100 else 0o640)

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
        ``argv[0]`` must be an interpreter the sandbox user can run
        (``worker_python()``) outside every secret path.
        """
        if self._closed:
            raise RuntimeError("spawn on a closed Sandbox")
        given = Path(os.path.abspath(shutil.which(argv[0]) or argv[0]))
        for covered in self._covered() if self.namespaces else ():
            if _inside(given, covered) or _inside(given.resolve(), covered):
                raise ValueError(f"{argv[0]} lies inside {covered}, a secret path or private mount hidden "
                                 "from the worker; use autograder.sandbox.worker_python()")
        self._install_files(files or {})
        env = minimal_env(self.work)
        env.update(extra_env or {})
        if not self.privileged:
            env["NNKIT_SANDBOX_TOKEN"] = self._token  # how clean-up finds our processes
        stderr = open(self.scratch / f"stderr-{len(self._procs)}.log", "wb")
        preexec = self._preexec()
        try:
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
        finally:
            stderr.close()
        self._procs.append(proc)
        return proc

    def _preexec(self):
        """The function the child runs between fork and exec; everything it needs is computed here."""
        import resource

        limits = self.limits
        nproc = limits.processes
        if not self.privileged:
            # RLIMIT_NPROC counts every process of the (shared) user: leave room
            # for what it already runs.
            nproc += len(cleanup.processes_of_uid(os.getuid()))
        rlimits = [
            (resource.RLIMIT_CPU, limits.cpu_seconds),
            (resource.RLIMIT_AS, limits.address_space),
            (resource.RLIMIT_FSIZE, limits.file_size),
            (resource.RLIMIT_NOFILE, limits.open_files),
            (resource.RLIMIT_NPROC, nproc),
            (resource.RLIMIT_CORE, 0),
        ]
        hide = [(str(p).encode(), p.is_dir()) for p in self.secrets] if self.namespaces else []
        # Private tmpfs mounts (namespaces only): a disk quota, nothing shared
        # with other sandboxes or with the next worker, gone with the namespace.
        size = f"size={limits.disk},nr_inodes=4096".encode()
        tmpfs = []
        if self.namespaces:
            owner = f",uid={self._slot.uid},gid={self._slot.gid},mode=0700".encode()
            tmpfs.append((str(self.work).encode(), size + owner))
            for shared in self._private_mounts():
                tmpfs.append((str(shared).encode(), size + b",mode=1777"))
        work = str(self.work)
        namespaces = self.namespaces
        seccomp = self.seccomp
        landlock = linux.Landlock(self._writable()) if self.landlock else None
        ids = (self._slot.uid, self._slot.gid) if self.privileged else None
        flags = linux.CLONE_NEWNS | linux.CLONE_NEWNET | linux.CLONE_NEWIPC | linux.CLONE_NEWUTS

        def preexec():
            os.setsid()
            if namespaces:
                linux.unshare(flags)
                linux.make_mounts_private()
                for path, is_dir in hide:
                    linux.hide_path(path, is_dir)
                for path, options in tmpfs:
                    linux.mount_tmpfs(path, options)
                os.chdir(work)   # the cwd set before us is the directory under the new mount
            for res, value in rlimits:
                resource.setrlimit(res, (value, value))
            if ids is not None:
                uid, gid = ids
                os.setgroups([])
                os.setresgid(gid, gid, gid)
                os.setresuid(uid, uid, uid)
            linux.join_new_session_keyring()   # the grader's session keyring stays behind
            os.umask(0o077)
            if landlock is not None:
                landlock.restrict()   # writes only in the work dir; no abstract sockets, no signals out
            if seccomp:
                linux.install_network_filter()
                # the submission cannot send SIGKILL/SIGTERM/...: a worker dead of
                # one was killed from outside, and its call is retried (signals.py)
                signals.install_signal_filter()

        return preexec

    def stderr_tail(self, proc: subprocess.Popen, limit: int = 2000) -> str:
        """The last ``limit`` characters the process wrote to stderr."""
        path = self.scratch / f"stderr-{self._procs.index(proc)}.log"
        try:
            with open(path, "rb") as f:
                f.seek(max(0, os.fstat(f.fileno()).st_size - limit))
                data = f.read(limit)
        except OSError:
            return ""
        return data.decode("utf-8", "replace")

    def _find_own(self):
        if self.privileged:
            return cleanup.processes_of_uid(self._slot.uid)
        return cleanup.processes_with_token(self._token)

    def kill_all(self) -> list[int]:
        """Kill every process of this sandbox, daemons included, reap them; blocks until none is left.

        Returns the pids that could not be killed within 10 s (empty normally).
        """
        for proc in self._procs:
            if proc.returncode is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        own = frozenset(proc.pid for proc in self._procs)
        if self.privileged:
            self.leftovers = cleanup.kill_until_gone(self._find_own, uid=self._slot.uid,
                                                     gid=self._slot.gid, own=own)
        else:
            self.leftovers = cleanup.kill_until_gone(self._find_own, own=own)
        for proc in self._procs:
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
        self._trim_logs()
        return self.leftovers

    def _trim_logs(self, keep: int = 64 << 10) -> None:
        """Cut dead workers' stderr logs to their tail: restarts × file_size would fill the disk."""
        for i, proc in enumerate(self._procs):
            path = self.scratch / f"stderr-{i}.log"
            try:
                if proc.returncode is not None and path.stat().st_size > keep:
                    with open(path, "rb") as f:
                        f.seek(-keep, os.SEEK_END)
                        tail = f.read()
                    path.write_bytes(tail)
            except OSError:
                pass

    def close(self) -> None:
        """Kill everything, then wipe the scratch directory (and the user's temp files); idempotent."""
        if self._closed:
            return
        self.kill_all()
        cleanup.remove_tree(self.scratch)
        if self._slot is not None:
            if not self.landlock:  # Landlock kept its writes in the scratch, removed above
                cleanup.remove_files_of_uid(self._slot.uid)
            self._slot.release()
        self._closed = True

    def describe(self) -> str:
        """Which mechanisms are active, for the instructor-only output."""
        lim = self.limits
        parts = []
        if self.privileged:
            parts.append(f"worker runs as {self._slot.name} (uid {self._slot.uid}), privileges dropped")
            if self.namespaces:
                parts.append("network: none (network namespace)"
                             + (" + seccomp AF_UNIX-only, no connect" if self.seccomp else ""))
                parts.append("hidden by a mount namespace: " + ", ".join(map(str, self.secrets)))
                parts.append(f"private tmpfs of {lim.disk >> 20} MiB each on the work dir, "
                             + ", ".join(map(str, self._private_mounts())) + " (fresh for every worker)")
            else:
                if namespaces_refused():
                    parts.append(f"namespaces refused by the test mode ${REFUSE_NAMESPACES_ENV}=1 "
                                 "(as Docker's default seccomp profile refuses them)")
                parts.append("no namespaces available: network "
                             + ("blocked by seccomp (AF_UNIX only, no connect: host unix sockets out of reach)"
                                if self.seccomp else "NOT isolated"))
                parts.append("secret paths unreadable by permissions (chmod o-rwx): "
                             + ", ".join(map(str, self.secrets)))
            parts.append("clean-up: kill by uid + /proc sweep")
        else:
            parts.append("NOT root: no privilege drop — the worker runs as the grader's user and can "
                         "read what it can (reference, hidden tests)"
                         + ("" if self.landlock else " and write results/"))
            parts.append("network " + ("blocked by seccomp (AF_UNIX only)" if self.seccomp else "NOT isolated"))
            parts.append("clean-up: kill by process group + environment token")
        parts.append(f"rlimits: cpu {lim.cpu_seconds} s, address space {lim.address_space >> 20} MiB, "
                     f"file size {lim.file_size >> 20} MiB, processes {lim.processes}, "
                     f"open files {lim.open_files}, no core")
        if self.seccomp and signals.available():
            parts.append("seccomp: the worker cannot send " + ", ".join(
                sorted(s.name for s in signals.EXTERNAL)) + " (such a death is retried as external)")
        parts.append(linux.Landlock(self._writable()).what() if self.landlock
                     else f"Landlock: not available (ABI {linux.landlock_abi()}): writes not confined beyond permissions")
        parts.append("minimal environment, new session, fresh session keyring, umask 077")
        return "sandbox: " + "; ".join(parts)


def minimal_env(home: Path) -> dict[str, str]:
    """The only environment a worker sees: no inherited variables, no secrets."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(home),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
