"""Trusted-side proxy: calls student functions through the worker, with time budgets.

The grading process never imports student code. ``WorkerClient`` starts
``worker.py`` through ``Sandbox.spawn``, sends requests and waits for each
answer within a budget of the *submission's* time (CPU, or sleeping; never
the seconds a loaded machine kept the worker waiting for a core: see
``budget.py``), bounded by the call's own cap and by what is left of the
question's time limit, with a wall-clock backstop several times larger
(``GradingConfig``). A timeout, a dead worker or a malformed reply kills the
worker and raises ``StudentCallFailed`` with a one-line reason; the next
call starts a fresh worker, so one sabotaged question costs only that
question.

A worker killed by a signal that neither the submission (``sandbox/signals.py``
keeps it from sending them) nor the grader sent is an infrastructure fault:
the call is re-run in a fresh worker (``GradingConfig.retries``); if that
dies the same way, the call fails with kind ``"infrastructure"`` and the
question is recorded in ``faults`` so that results.json marks it as a
grader problem, never as the student's.

The runner brackets each question with ``begin_question(number, time_limit)``
and ``end_question()``.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import termios
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.api_spec import API, signature_params
from autograder.grading import trusted
from autograder.grading.budget import Usage, charged, read_usage
from autograder.grading.config import GradingConfig
from autograder.sandbox import Limits, Sandbox, worker_python
from autograder.sandbox.signals import EXTERNAL
from autograder.worker import protocol

# What runs inside the sandbox (copied there side by side): the autograder/worker/ subpackage.
WORKER = Path(__file__).resolve().parents[1] / "worker"
WORKER_FILES = {name: WORKER / name for name in ("worker.py", "protocol.py", "callables.py")}
# The worker's files as this process loaded its own half of the protocol (protocol.py,
# trusted.py, above): every worker is started from these bytes, never from the files on
# disk at spawn time. A file edited while a long grading runs (a helper's commit during
# the red team, a `git pull` during a regrade) would otherwise give a worker of another
# version than its client: e.g. a FunctionRef this worker's callables.py no longer knows.
WORKER_SOURCES = {name: path.read_bytes() for name, path in WORKER_FILES.items()}
F_SETPIPE_SZ = 1031      # fcntl command (Linux); not exported by Python 3.10's fcntl
POLL_MIN = 0.005         # seconds: the shortest wait between two looks at the worker's usage


class StudentCallFailed(Exception):
    """A call into the submission did not produce a usable value; ``str()`` is the reason."""

    def __init__(self, reason: str, kind: str = "error", *, question_limit: bool = False,
                 error_types: tuple[str, ...] = ()):
        super().__init__(reason)
        self.reason = reason
        # error | import | missing | timeout | died | protocol | modified | infrastructure
        self.kind = kind
        # a timeout set by the question's remaining time, not by the call's own cap:
        # the call might well have finished in a question of its own
        self.question_limit = question_limit
        # the real builtin exception classes it is an instance of ("ValueError", "Exception", ...)
        self.error_types = error_types


def param_names(target: str) -> list[str]:
    """Parameter names of ``module.function`` as the reference's signature gives them (``api_spec.API``) (``*``/``**`` dropped)."""
    module, _, func = target.partition(".")
    params = signature_params(API.get(module, {}).get(func, "()")) or []
    return [name for name, _ in params if name not in ("*", "**")]


def enlarge_pipes(proc) -> None:
    """1 MiB pipe buffers both ways: a 100×100 float64 array (80 KB) crosses in one
    write instead of waking the reader once per 64 KiB (measured: 5–7× faster)."""
    for stream in (proc.stdin, proc.stdout):
        try:
            fcntl.fcntl(stream.fileno(), F_SETPIPE_SZ, 1 << 20)
        except OSError:  # over /proc/sys/fs/pipe-max-size: the default size still works
            pass


def describe_path(target: str, path: str) -> str:
    """'args[1]' -> 'x' (from the API signature), keeping any index suffix."""
    if path.startswith("args["):
        idx, _, rest = path[5:].partition("]")
        names = param_names(target)
        if idx.isdigit() and int(idx) < len(names):
            return names[int(idx)] + _index_text(rest)
    if path.startswith("kwargs["):
        key, _, rest = path[7:].partition("]")
        return protocol.quote_name(key.strip("'\""), 40) + _index_text(rest)
    return protocol.quote(path, 60)  # not a path the worker builds: its words


_INDEX = re.compile(r"(\[([0-9]{1,6}|'[A-Za-z0-9_]{1,40}')\])*")


def _index_text(rest: str) -> str:
    """An index suffix such as "[0]['W']" as is; anything else (a forged reply) quoted."""
    return rest if _INDEX.fullmatch(rest) else protocol.quote(rest, 60)


@dataclass
class _Question:
    """The running question's budget: ``budget`` seconds of the submission's time, ``charged`` so far."""

    number: str
    budget: float
    charged: float = 0.0

    def left(self) -> float:
        return self.budget - self.charged


def external_signal(returncode: int | None) -> signal.Signals | None:
    """The signal of ``sandbox.signals.EXTERNAL`` that ended a process with ``returncode``, else None."""
    if returncode is None or returncode >= 0:
        return None
    try:
        sig = signal.Signals(-returncode)
    except ValueError:
        return None
    return sig if sig in EXTERNAL else None


class WorkerClient:
    """One worker per submission, restarted only when it dies or hangs.

    Inputs: ``submission_root`` (the staged folder holding ``nnkit/``),
    ``config`` (time budgets, retries, sandbox limits; default ``GradingConfig()``),
    ``python`` (the worker's interpreter; default ``worker_python()``),
    ``limits`` (overrides ``config.limits``; kept for older callers).
    """

    def __init__(self, submission_root: Path, limits: Limits | None = None, python: str | None = None, *,
                 config: GradingConfig | None = None):
        self.config = config or GradingConfig()
        self.submission_root = Path(submission_root)
        self.box = Sandbox(limits or self.config.limits)
        self.python = python or worker_python()
        self.proc = None
        self.restarts = 0
        self.faults: dict[str, list[str]] = {}   # question number -> infrastructure faults (grader problems)
        self.retried = 0                          # calls re-run after an external kill
        self._question: _Question | None = None
        self._next_id = 0
        self._hello: int | None = None
        self._inspected: dict[str, dict] = {}
        self._last_usage: Usage | None = None     # the worker's last reading (its times once it is gone)
        self._ran_student_code = False            # has the current worker run any request yet?

    # -- life cycle -----------------------------------------------------
    def close(self) -> None:
        self.box.close()
        self.proc = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def describe(self) -> str:
        """What the sandbox enforced and how time was counted, for the instructor-only output."""
        cfg = self.config
        return (f"{self.box.describe()}; time limits: seconds of the submission's own time (CPU, or sleeping; "
                f"never waiting for a core), default {cfg.time_limit:g} s a question, "
                f"{cfg.call_timeout:g} s a call, {cfg.import_timeout:g} s an import, wall-clock backstop "
                f"{cfg.wall_factor:g} x + {cfg.wall_slack:g} s; external kills retried {cfg.retries} time(s)")

    def start(self) -> None:
        """Spawn the worker and send it a hello, without waiting for the answer.

        Python + numpy take ~0.3–0.6 s to come up: the grader loads the hidden
        tests and the reference meanwhile; the first request waits for the
        hello's reply.
        """
        if self.proc is not None:
            return
        files = self._worker_files()
        files["submission"] = self.submission_root
        runtime = self.box.runtime
        argv = [self.python, "-I", "-B", str(runtime / "worker.py"), str(runtime / "submission")]
        self.proc = self.box.spawn(argv, files=files)
        self._last_usage = None
        self._ran_student_code = False
        enlarge_pipes(self.proc)
        os.set_blocking(self.proc.stdin.fileno(), False)
        self._next_id += 1
        self._hello = self._next_id
        try:
            protocol.write_all(self.proc.stdin.fileno(), protocol.pack_message({"op": "hello", "id": self._hello}),
                               time.monotonic() + self.config.startup_timeout)
        except protocol.ProtocolError:
            pass  # the reply's read reports it

    def _worker_files(self) -> dict[str, Path]:
        """``{name: path}`` of ``WORKER_SOURCES`` written once into the sandbox's scratch (grader-only copies)."""
        folder = self.box.scratch / "worker-files"
        if not folder.is_dir():
            folder.mkdir(mode=0o700)
            for name, data in WORKER_SOURCES.items():
                (folder / name).write_bytes(data)
        return {name: folder / name for name in WORKER_SOURCES}

    def _await_hello(self) -> None:
        rid, self._hello = self._hello, None
        deadline = time.monotonic() + self.config.startup_timeout
        try:
            reply, _ = protocol.unpack_message(protocol.read_frame(self.proc.stdout.fileno(), deadline))
            if reply.get("id") != rid or not reply.get("ok"):
                raise protocol.ProtocolError("bad hello")
        except protocol.ProtocolError as exc:
            sig = external_signal(self._exit_status())
            if sig is not None:   # killed while booting, from outside (the submission has not run yet)
                self._kill()
                raise _KilledFromOutside(sig) from None
            tail = self.box.stderr_tail(self.proc, 300).strip().splitlines()
            how = self._kill()
            detail = f": {protocol.quote(tail[-1], 200)}" if tail else ""
            raise StudentCallFailed(f"the worker could not start ({how or exc}){detail}", "died") from None

    def _kill(self) -> str:
        """Kill the worker; return how it ended (for the reason of the failed call)."""
        proc = self.proc
        self.proc = None
        self._hello = None
        if proc is None:
            return ""
        code = proc.poll()
        self.box.kill_all()
        self.restarts += 1
        if code is None:
            return ""
        if code < 0:
            try:
                return f"killed by signal {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit code {code}"

    def _boot(self) -> None:
        """(Re)start the worker if needed and wait for its hello: the grader's business, never charged.

        A worker that wrote anything since its last reply (a thread of the
        submission, a forged frame) is replaced first: the next request's reply
        would otherwise be read from the middle of that output.
        """
        if self.proc is not None and self._hello is None and self._wrote_out_of_turn():
            self._kill()
        if self.proc is not None and self._hello is None:
            return
        if self.proc is None:
            self.start()
        if self._hello is not None:
            self._await_hello()

    def _wrote_out_of_turn(self) -> bool:
        """Are there bytes from the worker waiting to be read between two requests? (A closed pipe is not:
        the request's own reply then reports how the worker ended.)"""
        fd = self.proc.stdout.fileno()
        if not select.select([fd], [], [], 0)[0]:
            return False
        pending = fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0")
        return struct.unpack("i", pending)[0] > 0

    # -- question budgets -------------------------------------------------
    def begin_question(self, number: str = "", time_limit: float | None = None) -> None:
        """Start the budget of question ``number``: ``time_limit`` seconds of the submission's time
        (None: the config's default; capped by ``config.max_time_limit``)."""
        self._question = _Question(str(number), self.config.question_budget(time_limit))

    def end_question(self) -> None:
        self._question = None

    @property
    def deadline(self) -> float | None:
        """Legacy view of the question's budget: when it would run out at full speed (monotonic), or None."""
        if self._question is None:
            return None
        return time.monotonic() + self._question.left()

    @deadline.setter
    def deadline(self, value: float | None) -> None:
        """Legacy: ``client.deadline = time.monotonic() + limit`` starts a question, None ends it."""
        if value is None:
            self.end_question()
        else:
            self.begin_question("", max(0.0, value - time.monotonic()))

    def _call_budget(self, timeout: float | None) -> tuple[float, bool]:
        """(seconds of the submission's time this call may use, whether the question's limit set it)."""
        cap = timeout if timeout is not None else self.config.call_timeout
        q = self._question
        if q is None:
            return cap, False
        if q.left() <= 0:
            raise StudentCallFailed("the question's time limit was used up", "timeout", question_limit=True)
        return (q.left(), True) if q.left() < cap else (cap, False)

    def _usage(self) -> Usage:
        usage = read_usage(self.proc.pid if self.proc is not None else None)
        if usage.cpu is not None:
            self._last_usage = usage
        return usage

    def _await_reply(self, budget: float) -> tuple[bytes, float]:
        """``(next frame from the worker, seconds charged)``, waiting while it has used less than ``budget`` s.

        Raises ``protocol.ChannelTimeout`` once the budget (or its wall-clock
        backstop) is spent; the time used is charged to the question either way.
        """
        fd = self.proc.stdout.fileno()
        start = self._usage()
        backstop = start.wall + self.config.backstop(budget)
        used = 0.0
        try:
            while True:
                now = self._usage()
                used = charged(start, now)
                if used >= budget or now.wall >= backstop:
                    raise protocol.ChannelTimeout("no answer within the budget")
                # the usage cannot grow faster than the wall clock (one thread): sleep until it could be spent
                wait = max(POLL_MIN, min(budget - used, backstop - now.wall))
                ready, _, _ = select.select([fd], [], [], wait)
                if ready:
                    # charged up to the first byte of the answer: a reply over the pipe's 1 MiB then
                    # waits for us to read it, which is our time, not the submission's
                    used = charged(start, self._usage())
                    return protocol.read_frame(fd, backstop), used
        finally:
            if self._question is not None:
                self._question.charged += used

    # -- requests -------------------------------------------------------
    def _request(self, header: dict, value, timeout: float | None, what: str, *, charge: bool = True):
        """Send one request and return ``(reply header, value)``; retried once after an external kill.

        ``charge=False`` (imports): the question's budget neither caps nor pays
        for it; ``timeout`` alone bounds it.
        """
        for attempt in range(self.config.retries + 1):
            try:
                return self._exchange(header, value, timeout, what, charge)
            except _KilledFromOutside as killed:
                self.retried += 1
                if attempt < self.config.retries:
                    continue
                reason = (f"the worker running {what} was killed twice by {killed.signal.name}, a signal that "
                          "neither your code nor the grader sent (the machine, e.g. out of memory or an operator): "
                          "a grader problem, not yours; this question will be regraded")
                if self._question is not None:
                    self.faults.setdefault(self._question.number, []).append(reason)
                raise StudentCallFailed(reason, "infrastructure") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, header: dict, value, timeout: float | None, what: str, charge: bool):
        """One attempt of ``_request``: boot if needed, send, await the reply within the budget."""
        if charge:
            self._call_budget(timeout)  # fail fast, before a restart, when the question's time is gone
        self._boot()
        budget, question_limit = self._call_budget(timeout) if charge else (timeout or self.config.call_timeout, False)
        question, self._question = self._question, (self._question if charge else None)
        self._next_id += 1
        rid = self._next_id
        header = dict(header, id=rid)
        self._ran_student_code = True   # from now on this worker may hold the submission's threads
        value, handlers = trusted.detach(value)  # grader functions stay here, answered by callback
        try:
            frame = protocol.pack_message(header, value)
        except protocol.ProtocolError as exc:  # our own arguments are too big: a grader bug
            self._question = question
            raise StudentCallFailed(f"could not send the arguments: {exc}", "protocol") from None
        try:
            protocol.write_all(self.proc.stdin.fileno(), frame, time.monotonic() + self.config.backstop(budget))
            reply, result = self._read_reply(rid, handlers, budget)
            check_reply(reply, rid)
        except protocol.ChannelTimeout:
            self._kill()
            raise StudentCallFailed(f"{what} did not finish in time (an infinite loop, or far too slow)", "timeout",
                                    question_limit=question_limit) from None
        except protocol.ChannelClosed:
            self._died(what)
        except protocol.ProtocolError as exc:
            self._kill()
            raise StudentCallFailed(f"{what} produced an invalid reply ({exc})", "protocol") from None
        finally:
            self._question = question
        return reply, result

    def _read_reply(self, rid: int, handlers: list, budget: float):
        """The worker's reply to request ``rid``, answering its callbacks meanwhile (``trusted.answer``).

        All callbacks of the call share its ``budget`` (seconds, counted from
        now); more than ``trusted.MAX_CALLBACKS`` is a protocol error.
        """
        left = budget   # seconds of the submission's time (budget.py); answering a callback costs it nothing
        for _ in range(trusted.MAX_CALLBACKS + 1):
            if left <= 0:
                raise protocol.ChannelTimeout("no answer within the budget")
            body, used = self._await_reply(left)
            left -= used
            reply, result = protocol.unpack_message(body)
            if reply.get("op") != "callback":
                return reply, result
            answer, value = trusted.answer(reply, result, handlers, rid)
            try:
                frame = protocol.pack_message(answer, value)
            except protocol.ProtocolError as exc:  # the grader function's own value is over the caps
                frame = protocol.pack_message({"ok": False, "error": f"the grader's answer is too large ({exc})"})
            protocol.write_all(self.proc.stdin.fileno(), frame, time.monotonic() + self.config.backstop(left))
        raise protocol.ProtocolError(f"more than {trusted.MAX_CALLBACKS} calls of the grader's functions")

    def _exit_status(self, patience: float = 2.0) -> int | None:
        """The worker's exit status once its channel closed (None if it is still alive after ``patience`` s).

        Its usage is read first: a zombie keeps its final CPU time (to tell
        the CPU rlimit's SIGKILL apart) until it is reaped.
        """
        if self.proc is None:
            return None
        end = time.monotonic() + patience
        while True:
            self._usage()
            code = self.proc.poll()
            if code is not None or time.monotonic() >= end:
                return code
            time.sleep(0.005)

    def _died(self, what: str):
        """The worker closed the channel: raise ``_KilledFromOutside`` or the student's StudentCallFailed."""
        code = self._exit_status()
        last = self._last_usage
        how = self._kill()
        sig = external_signal(code)
        # the kernel's own SIGKILL at RLIMIT_CPU is the submission's doing
        at_cpu_limit = last is not None and last.cpu is not None and last.cpu >= self.box.limits.cpu_seconds - 1
        if sig is not None and not at_cpu_limit:
            raise _KilledFromOutside(sig)
        if code == protocol.EXIT_OUT_OF_STEP:
            raise StudentCallFailed(f"{what} interrupted a call of a grader function halfway (an exception raised "
                                    "by a signal handler?): the worker stopped", "died") from None
        raise StudentCallFailed(
            f"the worker process died in {what} ({how or 'no exit status'}): sys.exit, os._exit, a crash or a memory limit?",
            "died",
        ) from None

    def inspect(self, module: str, names: list[str]) -> dict:
        """``{"ok": bool, "error": str, "signatures": {name: str | None}}`` for ``nnkit.<module>``.

        The import has its own budget (``config.import_timeout``), outside the
        question's: its outcome, a hang included, is remembered, so a module
        that hangs at import costs that budget once per grading, not once per
        question.
        """
        key = f"{module}:{','.join(names)}"
        if key not in self._inspected:
            request = {"op": "inspect", "module": module, "names": list(names)}
            what = f"the import of {module}.py"
            try:
                try:
                    used = self.proc is not None and self._ran_student_code
                    reply, sigs = self._request(request, None, self.config.import_timeout, what=what, charge=False)
                except StudentCallFailed as exc:
                    if not used or exc.kind not in ("timeout", "died", "protocol"):
                        raise
                    # the worker had run other student code (a thread left by another module's
                    # import?): this module's import alone decides, in a fresh worker
                    self._kill()
                    reply, sigs = self._request(request, None, self.config.import_timeout, what=what, charge=False)
            except StudentCallFailed as exc:
                if exc.kind == "infrastructure":   # not the submission's: a later question may import it
                    raise
                self._inspected[key] = {"ok": False, "error": exc.reason, "signatures": {}}
                return self._inspected[key]
            if reply.get("ok"):
                self._inspected[key] = {"ok": True, "error": "", "signatures": dict(sigs or {})}
            else:
                self._inspected[key] = {"ok": False, "error": format_error(reply.get("error")), "signatures": {}}
        return self._inspected[key]

    def call(self, target: str, *args, timeout: float | None = None, **kwargs):
        """Run ``target(*args, **kwargs)`` in the worker and return its (decoded) value.

        Raises ``StudentCallFailed`` when the function raises, is missing,
        times out, kills the worker, returns something that cannot cross the
        boundary, or modifies one of its input arrays.
        """
        reply, result = self._request(
            {"op": "call", "target": target}, [list(args), kwargs], timeout, what=target
        )
        if not reply.get("ok"):
            err = reply.get("error") or {}
            kind = "import" if reply.get("stage") == "import" else "error"
            if err.get("type") == "LookupError" and kind == "import":
                kind = "missing"
            if err.get("type") == "NotImplementedError":
                where = str(err.get("where") or "")
                own = f"{target.split('.')[0]}.py"
                if where and not where.startswith(own + " ") and not target.startswith("@"):
                    other = protocol.quote_name(where_text(where).split(" ")[0], 80)
                    where = where_of(err)
                    raise StudentCallFailed(
                        f"{target} calls a function of {other} that is not implemented yet ({where}): "
                        f"this homework needs your {other} from an earlier homework", "missing")
                raise StudentCallFailed(f"{target}: {format_error(err)}", "missing")
            raise StudentCallFailed(f"{target} {'could not be loaded' if kind != 'error' else 'raised'}: {format_error(err)}", kind,
                                    error_types=error_types(err))
        modified = reply.get("modified") or []
        if modified:
            names = ", ".join(describe_path(target, str(p)) for p in modified[:3])
            raise StudentCallFailed(f"{target} modified its input {names} (functions must not modify their inputs)", "modified")
        return result


def check_reply(reply: dict, rid: int) -> None:
    """Raise ``protocol.ProtocolError`` unless ``reply`` answers request ``rid`` (a decoded request).

    A reply of ``"stage": "request"`` means the worker could not decode the
    request (or build one of its function references): the message carries
    the worker's error, quoted, because a grader bug (a worker of another
    version) and a submission that patched the worker look alike here.
    """
    err = reply.get("error")
    said = f": {format_error(err)}" if isinstance(err, dict) else ""
    if reply.get("id") != rid:
        raise protocol.ProtocolError(f"reply to request {protocol.quote(reply.get('id'), 30)}, expected {rid}{said}")
    if reply.get("stage") == "request":
        raise protocol.ProtocolError(f"the worker could not read request {rid}{said}")


class _KilledFromOutside(Exception):
    """The worker died of a signal of ``EXTERNAL`` that nobody inside the sandbox can send."""

    def __init__(self, sig: signal.Signals):
        super().__init__(sig.name)
        self.signal = sig


def error_types(err) -> tuple[str, ...]:
    """('ValueError', 'Exception', 'BaseException'): the real builtin exception classes the raised one is an instance of.

    The worker checks them by identity against the builtins it captured before
    any student code ran (``worker._builtin_classes``), so a class merely
    *named* ValueError is not one. (The submission could still patch the
    worker and forge the reply: a raised type alone must never pay.)
    """
    if not isinstance(err, dict):
        return ()
    names = err.get("builtins")
    return tuple(str(b)[:60] for b in names[:20]) if isinstance(names, list) else ()


def _builtin_base(err) -> str:
    """'ValueError' for a student's ``class ConfigError(ValueError)``, 'Exception' for a class merely
    named ValueError; '' when the raised class is the builtin itself."""
    names = error_types(err)
    if not names or names[0] == str(err.get("type", "")):
        return ""
    return names[0]


def format_error(err) -> str:
    """'ValueError: ‹bad shape› (gates.py line 12)' from the worker's error dict.

    A student's own exception class shows its builtin base: 'ConfigError(ValueError): ...'.
    Everything in the dict is the submission's text: the message is quoted,
    names are quoted unless plain (``protocol.quote``, ``quote_name``).
    """
    if not isinstance(err, dict):
        return "unknown error"
    kind = protocol.quote_name(str(err.get("type", "Error"))[:60], 60)
    message = str(err.get("message", ""))
    base = _builtin_base(err)
    if base:
        kind = f"{kind}({protocol.quote_name(base, 60)})"
    text = f"{kind}: {protocol.quote(message, 300)}" if message else kind
    if kind == "NotImplementedError":
        text = "not implemented yet"
    where = where_of(err)
    return f"{text} ({where})" if where else text


def where_of(err) -> str:
    """'layers.py line 12, in layers.linear_backward': where the worker's error dict says it was raised.

    The function is named with its module, so that a failure inside a carried or
    earlier function is not taken for one of the function that was called.
    """
    where = where_text(err.get("where"))
    function = err.get("function")
    if (_WHERE.fullmatch(where) and type(function) is str and function.isascii() and function.isidentifier()
            and len(function) <= 80):  # a plain name, or nothing: the worker's reply is the submission's text
        module = where.split(" ")[0].removesuffix(".py")
        where += f", in {module}.{function}"
    return where


_WHERE = re.compile(r"([A-Za-z0-9_.\-]{1,80}) line ([0-9]{1,7})")


def where_text(where) -> str:
    """'gates.py line 12' as is; anything else the worker sent, quoted (a file name can hold any character)."""
    where = str(where or "")
    if not where or _WHERE.fullmatch(where):
        return where
    return protocol.quote(where, 100)