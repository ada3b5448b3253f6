"""Which signals may have killed a worker: a seccomp filter that keeps the submission from sending the "external" ones.

A worker that dies of SIGKILL or SIGTERM may have been killed by the
machine (the OOM killer, an operator, a container shutdown) or by itself.
The grading engine retries the first and charges the second, so the worker
must not be able to send these signals at all: this filter makes every
signal-sending system call (``kill``, ``tkill``, ``tgkill``,
``rt_sigqueueinfo``, ``rt_tgsigqueueinfo``, ``pidfd_send_signal``) fail with
EPERM for the signals of ``EXTERNAL``, and refuses the calls that would
schedule any signal for later (``timer_create``, ``fcntl(F_SETSIG)``,
``mq_notify``). Then a worker dead of one of ``EXTERNAL`` was killed by
someone outside the submission: the grader's own kills are known to the
grader, and the kernel's own SIGKILL for RLIMIT_CPU is told apart by the
CPU time (``autograder.grading.client``).

Not covered (documented in docs/RELIABILITY.md): the OOM killer choosing the
worker because of the submission's own memory use, and a process of the
same uid outside the sandbox (there is none: each slot has its own user).

Stacked on top of the network filter (seccomp filters compose, the
strictest answer wins); on an unknown architecture nothing is installed.
Runs on Python 3.10.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import signal
import struct

from autograder.sandbox import linux

EXTERNAL = frozenset({signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT})

# arch -> (AUDIT_ARCH_*, {syscall nr: index of its signal argument}, syscalls refused outright,
#          fcntl nr)
_F_SETSIG = 10
_ARCHES = {
    "x86_64": (0xC000003E, {62: 1, 200: 1, 234: 2, 129: 1, 297: 2, 424: 1}, (222, 244), 72),
    "aarch64": (0xC00000B7, {129: 1, 130: 1, 131: 2, 138: 1, 240: 2, 424: 1}, (107, 184), 25),
}

_LD_W_ABS, _JEQ_K, _JA, _RET_K = 0x20, 0x15, 0x05, 0x06
_ALLOW = 0x7FFF0000
_EPERM = 0x00050000 | errno.EPERM


def _arg(index: int) -> int:
    """Offset of the low 32 bits of syscall argument ``index`` in ``struct seccomp_data`` (little-endian)."""
    return 16 + 8 * index


def _program(audit_arch: int, senders: dict, refused: tuple, fcntl_nr: int) -> list[tuple[int, int, int, int]]:
    """The classic-BPF instructions ``(code, jt, jf, k)``: EPERM for EXTERNAL signals, the refused calls, F_SETSIG."""
    body: list[tuple[str, tuple]] = []   # symbolic: ("ins", (...)) or ("jump-check", ()) resolved below
    for nr, index in senders.items():
        body.append(("ins", (_JEQ_K, 0, 2, nr)))          # not this syscall: skip the next two
        body.append(("ins", (_LD_W_ABS, 0, 0, _arg(index))))
        body.append(("to-check", ()))
    for nr in refused:
        body.append(("ins", (_JEQ_K, 0, 1, nr)))
        body.append(("to-deny", ()))
    body.append(("ins", (_JEQ_K, 0, 3, fcntl_nr)))
    body.append(("ins", (_LD_W_ABS, 0, 0, _arg(1))))
    body.append(("ins", (_JEQ_K, 0, 1, _F_SETSIG)))
    body.append(("to-deny", ()))
    body.append(("ins", (_RET_K, 0, 0, _ALLOW)))        # none of ours: allowed
    head = [(_LD_W_ABS, 0, 0, 4), (_JEQ_K, 1, 0, audit_arch), (_RET_K, 0, 0, _ALLOW), (_LD_W_ABS, 0, 0, 0)]
    check_at = len(head) + len(body)                      # the signal check follows the body
    check = [(_JEQ_K, len(EXTERNAL) - i, 0, int(sig)) for i, sig in enumerate(sorted(EXTERNAL))]
    check.append((_RET_K, 0, 0, _ALLOW))
    deny_at = check_at + len(check)
    prog = list(head)
    for kind, ins in body:
        here = len(prog)
        if kind == "ins":
            prog.append(ins)
        else:  # an unconditional jump: k counts from the next instruction
            prog.append((_JA, 0, 0, (check_at if kind == "to-check" else deny_at) - here - 1))
    prog.extend(check)
    prog.append((_RET_K, 0, 0, _EPERM))
    return prog


def _compiled():
    """``(sock_fprog, buffer)`` for this machine, or None on an unknown architecture."""
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return None
    prog = _program(*arch)
    raw = b"".join(struct.pack("=HBBI", *ins) for ins in prog)
    buf = ctypes.create_string_buffer(raw, len(raw))
    return linux._SockFprog(len(prog), ctypes.addressof(buf)), buf


_FILTER = _compiled()


def available() -> bool:
    return _FILTER is not None


def install_signal_filter() -> None:
    """Install the filter in the calling process (irreversible, inherited by children)."""
    if _FILTER is None:
        return
    fprog, _buf = _FILTER
    linux._check(linux._prctl(linux.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    linux._check(linux._prctl(linux.PR_SET_SECCOMP, linux.SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0),
                 "seccomp (signals)")
