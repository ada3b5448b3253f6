"""Linux system calls the sandbox needs and the standard library lacks on 3.10.

``os.unshare`` appeared in Python 3.12 and ``mount``/``prctl``/``seccomp``
are not wrapped at all, so they are called through ``ctypes``. Everything a
child calls between ``fork`` and ``exec`` (``preexec_fn``) is prepared here in
the parent: the child only makes system calls, it never looks a symbol up or
builds a structure.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import struct

# clone/unshare flags (linux/sched.h)
CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWNET = 0x40000000

# mount flags (linux/mount.h)
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18

# prctl options (linux/prctl.h)
PR_SET_SECCOMP = 22
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_unshare = _libc.unshare
_unshare.argtypes = [ctypes.c_int]
_mount = _libc.mount
_mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
_prctl = _libc.prctl
_prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def unshare(flags: int) -> None:
    """``unshare(2)``: move the calling process into new namespaces."""
    _check(_unshare(flags), "unshare")


def make_mounts_private() -> None:
    """Stop mounts made in this namespace from propagating back to the host."""
    _check(_mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")


def hide_path(path: bytes, is_dir: bool) -> None:
    """Cover ``path`` (in this mount namespace only) with something empty.

    A directory gets an empty read-only tmpfs of mode 000, a file a read-only
    bind of ``/dev/null``. An unprivileged process cannot unmount either:
    mounts inherited into a less privileged namespace are locked.
    """
    if is_dir:
        flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
        _check(_mount(b"tmpfs", path, b"tmpfs", flags, b"size=4k,nr_inodes=1,mode=000"), "mount tmpfs")
    else:
        _check(_mount(b"/dev/null", path, None, MS_BIND, None), "bind /dev/null")
        flags = MS_BIND | MS_RDONLY | 0x20  # MS_REMOUNT = 0x20
        _check(_mount(None, path, None, flags, None), "remount ro")


def mount_tmpfs(path: bytes, options: bytes) -> None:
    """A fresh, size-limited tmpfs on ``path`` (this mount namespace only)."""
    _check(_mount(b"tmpfs", path, b"tmpfs", MS_NOSUID | MS_NODEV, options), "mount tmpfs")


_SYSCALL = _libc.syscall
_KEYCTL_NR = {"x86_64": 250, "aarch64": 219}.get(platform.machine())
KEYCTL_JOIN_SESSION_KEYRING = 1


def join_new_session_keyring() -> bool:
    """Leave the grader's session keyring (keys are readable by whoever *possesses* it).

    Best effort: Docker's seccomp profile refuses keyctl, which then leaves
    the worker without any keyring access anyway.
    """
    if _KEYCTL_NR is None:
        return False
    return _SYSCALL(ctypes.c_long(_KEYCTL_NR), ctypes.c_long(KEYCTL_JOIN_SESSION_KEYRING), None) >= 0


def set_child_subreaper() -> None:
    """Make orphaned descendants (``setsid`` daemons) re-parent to this process."""
    _check(_prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)")


# -- seccomp: no sockets but AF_UNIX, no connect, no io_uring ----------------------
# (arch, AUDIT_ARCH_*, {syscall: nr}, has the x32 ABI)
_ARCHES = {
    "x86_64": (0xC000003E, {"socket": 41, "connect": 42, "sendto": 44, "sendmsg": 46, "sendmmsg": 307,
                            "io_uring_setup": 425}, True),
    "aarch64": (0xC00000B7, {"socket": 198, "connect": 203, "sendto": 206, "sendmsg": 211, "sendmmsg": 269,
                             "io_uring_setup": 425}, False),
}

_BPF_LD_W_ABS = 0x20
_BPF_JEQ_K = 0x15
_BPF_JGE_K = 0x35
_BPF_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _assemble(program: list) -> list[tuple[int, int, int, int]]:
    """Classic BPF from ``(label, code, k, jump-if-true label, jump-if-false label)`` rows (labels may be None).

    Jumps are resolved to the 8-bit forward offsets BPF wants; a row's own
    label names it, ``None`` targets mean "the next instruction".
    """
    where = {row[0]: i for i, row in enumerate(program) if row[0]}
    out = []
    for i, (_label, code, k, jt, jf) in enumerate(program):
        offsets = [0 if t is None else where[t] - i - 1 for t in (jt, jf)]
        assert all(0 <= o < 256 for o in offsets), "BPF jumps go forward, at most 255"
        out.append((code, offsets[0], offsets[1], k))
    return out


def _network_filter() -> tuple[_SockFprog, ctypes.Array] | None:
    """A classic-BPF seccomp program, or None on an architecture we do not know.

    - ``socket()`` for every family but ``AF_UNIX``: EACCES (no network);
    - ``connect()``: EACCES (a worker needs none; without namespaces it
      would reach the host's unix sockets: dbus, a database, a container
      runtime), and likewise ``sendto`` with an address, ``sendmsg`` and
      ``sendmmsg`` (a datagram sent to a host socket by name); ``send`` on an
      already connected pair (``socketpair``) still works;
    - ``io_uring_setup``: ENOSYS (its requests would bypass these checks);
    - a foreign ABI (i386 ``int 0x80``, x32), whose numbers would slip past
      this table: the process is killed.
    """
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return None
    audit_arch, nr, x32 = arch
    eacces = _RET_ERRNO | errno.EACCES
    enosys = _RET_ERRNO | errno.ENOSYS
    ld, jeq, jge, ret = _BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_JGE_K, _BPF_RET_K
    program = [
        (None, ld, 4, None, None),                              # A = arch
        (None, jeq, audit_arch, "native", None),
        (None, ret, _RET_KILL_PROCESS, None, None),             # foreign ABI
        ("native", ld, 0, None, None),                          # A = syscall nr
        (None, jge, 0x40000000 if x32 else 0xFFFFFFFF, "kill", None),
        (None, jeq, nr["io_uring_setup"], "enosys", None),
        (None, jeq, nr["socket"], "socket", None),
        (None, jeq, nr["connect"], "eacces", None),
        (None, jeq, nr["sendmsg"], "eacces", None),
        (None, jeq, nr["sendmmsg"], "eacces", None),
        (None, jeq, nr["sendto"], "sendto", "allow"),
        ("sendto", ld, 16 + 8 * 4, None, None),                 # low word of args[4] (dest_addr)
        (None, jeq, 0, None, "eacces"),
        (None, ld, 20 + 8 * 4, None, None),                     # high word
        (None, jeq, 0, "allow", "eacces"),
        ("socket", ld, 16, None, None),                         # low word of args[0] (family)
        (None, jeq, 1, "allow", "eacces"),                      # AF_UNIX
        ("kill", ret, _RET_KILL_PROCESS, None, None),
        ("enosys", ret, enosys, None, None),
        ("eacces", ret, eacces, None, None),
        ("allow", ret, _RET_ALLOW, None, None),
    ]
    prog = _assemble(program)
    raw = b"".join(struct.pack("=HBBI", *ins) for ins in prog)
    buf = ctypes.create_string_buffer(raw, len(raw))
    return _SockFprog(len(prog), ctypes.addressof(buf)), buf


_FILTER = _network_filter()


def seccomp_available() -> bool:
    return _FILTER is not None


def install_network_filter() -> None:
    """Install the seccomp filter in the calling process (irreversible, inherited)."""
    if _FILTER is None:
        raise OSError(errno.ENOSYS, f"no seccomp filter for {platform.machine()}")
    fprog, _buf = _FILTER
    _check(_prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    _check(_prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0), "seccomp")


# -- Landlock: writes confined to the work dir, no abstract unix sockets, no signals out -------
# An unprivileged LSM (Linux ≥ 5.13; works inside Docker when its seccomp
# profile lets the three syscalls through). The ruleset is built in the child
# (after the mount namespace's tmpfs is on the work dir, so the rule names
# that tmpfs) from structures allocated here, in the parent.

_NR_LANDLOCK_CREATE_RULESET, _NR_LANDLOCK_ADD_RULE, _NR_LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_FS_WRITE_FILE = 1 << 1
# every right that creates, removes, renames or modifies (ABI 1), REFER (ABI 2), TRUNCATE (ABI 3)
_FS_WRITES = {1: sum(1 << b for b in (1, 4, 5, 6, 7, 8, 9, 10, 11, 12)), 2: 1 << 13, 3: 1 << 14}
_NET_TCP = (1 << 0) | (1 << 1)                                   # bind, connect (ABI 4)
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1              # ABI 6


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is absent, disabled or refused (seccomp)."""
    version = _SYSCALL(ctypes.c_long(_NR_LANDLOCK_CREATE_RULESET), None, ctypes.c_size_t(0),
                       ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION))
    return max(int(version), 0)


class Landlock:
    """A ruleset prepared in the parent, applied by ``restrict()`` in the child between fork and exec.

    ``writable_dirs``: the only trees the process may create, remove, rename
    or write files in; ``writable_files``: files, or trees of files, it may
    write to but not create or remove in (``/dev/null``; ``/proc``, where the
    kernel's own permissions decide). Reads and execution are not restricted (the mount
    namespace or permissions guard the secrets). With ABI ≥ 4 TCP bind and
    connect are refused, with ABI ≥ 6 abstract unix sockets and signals that
    leave the sandbox's own processes.
    """

    def __init__(self, writable_dirs, writable_files=("/dev/null", "/proc"), abi: int | None = None):
        self.abi = landlock_abi() if abi is None else abi
        writes = sum(bits for v, bits in _FS_WRITES.items() if self.abi >= v)
        self.attr = _RulesetAttr(writes, _NET_TCP if self.abi >= 4 else 0,
                                 (_SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL) if self.abi >= 6 else 0)
        self.attr_size = ctypes.sizeof(_RulesetAttr) if self.abi >= 6 else (16 if self.abi >= 4 else 8)
        file_rights = _FS_WRITE_FILE | (_FS_WRITES[3] if self.abi >= 3 else 0)   # a file rule takes file rights only
        self.rules = [(os.fsencode(p), _PathBeneath(writes, -1), os.O_DIRECTORY) for p in writable_dirs]
        self.rules += [(os.fsencode(p), _PathBeneath(file_rights, -1), 0) for p in writable_files]
        self.dirs = [os.fsdecode(p) for p in writable_dirs]

    def what(self) -> str:
        """One line for ``describe()``: what this ruleset confines."""
        parts = ["files created or written only in " + ", ".join(self.dirs)]
        if self.abi >= 4:
            parts.append("TCP bind/connect refused")
        if self.abi >= 6:
            parts.append("abstract unix sockets and signals confined to the sandbox")
        return f"Landlock ABI {self.abi}: " + ", ".join(parts)

    def restrict(self) -> None:
        """Apply the ruleset to the calling process (irreversible, inherited). Sets no_new_privs."""
        ruleset = _SYSCALL(ctypes.c_long(_NR_LANDLOCK_CREATE_RULESET), ctypes.byref(self.attr),
                           ctypes.c_size_t(self.attr_size), ctypes.c_uint32(0))
        if ruleset < 0:
            _check(-1, "landlock_create_ruleset")
        try:
            for path, rule, kind in self.rules:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC | kind)
                try:
                    rule.parent_fd = fd
                    if _SYSCALL(ctypes.c_long(_NR_LANDLOCK_ADD_RULE), ctypes.c_int(ruleset),
                                ctypes.c_int(_LANDLOCK_RULE_PATH_BENEATH), ctypes.byref(rule),
                                ctypes.c_uint32(0)) < 0:
                        _check(-1, "landlock_add_rule")
                finally:
                    os.close(fd)
            _check(_prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
            if _SYSCALL(ctypes.c_long(_NR_LANDLOCK_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
                _check(-1, "landlock_restrict_self")
        finally:
            os.close(ruleset)
