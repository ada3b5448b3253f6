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


# -- seccomp: no sockets but AF_UNIX, no io_uring ------------------------------
# (arch, AUDIT_ARCH_*, socket nr, io_uring_setup nr, has the x32 ABI)
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425, True),
    "aarch64": (0xC00000B7, 198, 425, False),
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


def _network_filter() -> tuple[_SockFprog, ctypes.Array] | None:
    """A classic-BPF seccomp program, or None on an architecture we do not know.

    Blocks ``socket()`` for every family but ``AF_UNIX`` (EACCES), blocks
    ``io_uring_setup`` (its requests would bypass the socket check), and kills
    the process on a foreign ABI (i386 ``int 0x80``, x32) whose syscall
    numbers would slip past the table above.
    """
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return None
    audit_arch, nr_socket, nr_io_uring, x32 = arch
    eacces = _RET_ERRNO | errno.EACCES
    enosys = _RET_ERRNO | errno.ENOSYS
    prog = [
        (_BPF_LD_W_ABS, 0, 0, 4),                 # 0: A = arch
        (_BPF_JEQ_K, 1, 0, audit_arch),           # 1: native ? -> 3
        (_BPF_RET_K, 0, 0, _RET_KILL_PROCESS),    # 2: foreign ABI
        (_BPF_LD_W_ABS, 0, 0, 0),                 # 3: A = nr
        (_BPF_JGE_K, 0, 1, 0x40000000 if x32 else 0xFFFFFFFF),  # 4: x32 ? -> 5 : -> 6
        (_BPF_RET_K, 0, 0, _RET_KILL_PROCESS),    # 5
        (_BPF_JEQ_K, 0, 1, nr_io_uring),          # 6: io_uring_setup ? -> 7 : -> 8
        (_BPF_RET_K, 0, 0, enosys),               # 7
        (_BPF_JEQ_K, 0, 3, nr_socket),            # 8: socket ? -> 9 : -> 12
        (_BPF_LD_W_ABS, 0, 0, 16),                # 9: A = low word of args[0] (family)
        (_BPF_JEQ_K, 1, 0, 1),                    # 10: AF_UNIX ? -> 12 : -> 11
        (_BPF_RET_K, 0, 0, eacces),               # 11
        (_BPF_RET_K, 0, 0, _RET_ALLOW),           # 12
    ]
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
