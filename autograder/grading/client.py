"""Trusted-side proxy: calls student functions through the worker, with deadlines.

The grading process never imports student code. ``WorkerClient`` starts
``worker.py`` through ``Sandbox.spawn``, sends requests and waits for each
answer at most until a deadline (the call's own cap and the question's time
limit, whichever comes first). A timeout, a dead worker or a malformed reply
kills the worker and raises ``StudentCallFailed`` with a one-line reason;
the next call starts a fresh worker, so one sabotaged question costs only
that question.
"""

from __future__ import annotations

import builtins
import fcntl
import os
import signal
import time
from pathlib import Path

from autograder.api_spec import API, signature_params
from autograder.grading import protocol
from autograder.sandbox import Limits, Sandbox, worker_python

HERE = Path(__file__).resolve().parent
WORKER_FILES = {name: HERE / name for name in ("worker.py", "protocol.py", "callables.py")}
STARTUP_TIMEOUT = 20.0   # seconds for python + numpy to come up (slow shared runners)
CALL_TIMEOUT = 30.0      # cap on one call when no question deadline is tighter
F_SETPIPE_SZ = 1031      # fcntl command (Linux); not exported by Python 3.10's fcntl


class StudentCallFailed(Exception):
    """A call into the submission did not produce a usable value; ``str()`` is the reason."""

    def __init__(self, reason: str, kind: str = "error", *, question_limit: bool = False,
                 error_types: tuple[str, ...] = ()):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind   # error | import | missing | timeout | died | protocol | modified
        # a timeout set by the question's remaining time, not by the call's own cap:
        # the call might well have finished in a question of its own
        self.question_limit = question_limit
        # names of the raised exception's class and its bases ("ConfigError", "ValueError", ...)
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
            return names[int(idx)] + rest
    if path.startswith("kwargs["):
        key, _, rest = path[7:].partition("]")
        return key.strip("'\"") + rest
    return path


class WorkerClient:
    """One worker per submission, restarted only when it dies or hangs."""

    def __init__(self, submission_root: Path, limits: Limits | None = None, python: str | None = None):
        self.submission_root = Path(submission_root)
        self.box = Sandbox(limits or Limits(cpu_seconds=600))
        self.python = python or worker_python()
        self.proc = None
        self.deadline: float | None = None   # the current question's time limit (monotonic)
        self.restarts = 0
        self._next_id = 0
        self._hello: int | None = None
        self._inspected: dict[str, dict] = {}

    # -- life cycle -----------------------------------------------------
    def close(self) -> None:
        self.box.close()
        self.proc = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self) -> None:
        """Spawn the worker and send it a hello, without waiting for the answer.

        Python + numpy take ~0.3–0.6 s to come up: the grader loads the hidden
        tests and the reference meanwhile; the first request waits for the
        hello's reply.
        """
        if self.proc is not None:
            return
        files = dict(WORKER_FILES)
        files["submission"] = self.submission_root
        runtime = self.box.runtime
        argv = [self.python, "-I", "-B", str(runtime / "worker.py"), str(runtime / "submission")]
        self.proc = self.box.spawn(argv, files=files)
        enlarge_pipes(self.proc)
        os.set_blocking(self.proc.stdin.fileno(), False)
        self._next_id += 1
        self._hello = self._next_id
        try:
            protocol.write_all(self.proc.stdin.fileno(), protocol.pack_message({"op": "hello", "id": self._hello}),
                               time.monotonic() + STARTUP_TIMEOUT)
        except protocol.ProtocolError:
            pass  # the reply's read reports it

    def _await_hello(self) -> None:
        rid, self._hello = self._hello, None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        try:
            reply, _ = protocol.unpack_message(protocol.read_frame(self.proc.stdout.fileno(), deadline))
            if reply.get("id") != rid or not reply.get("ok"):
                raise protocol.ProtocolError("bad hello")
        except protocol.ProtocolError as exc:
            tail = self.box.stderr_tail(self.proc, 300).strip().splitlines()
            how = self._kill()
            detail = f": {tail[-1]}" if tail else ""
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
        """(Re)start the worker if needed and wait for its hello.

        Booting is the grader's business, not the student's: its time (0.2–1 s,
        more on a loaded runner) is added back to the question's time limit.
        """
        if self.proc is not None and self._hello is None:
            return
        started = time.monotonic()
        if self.proc is None:
            self.start()
        if self._hello is not None:
            self._await_hello()
        if self.deadline is not None:
            self.deadline += time.monotonic() - started

    # -- requests -------------------------------------------------------
    def _request(self, header: dict, value, timeout: float | None, what: str):
        self._deadline(timeout)  # fail fast, before a restart, when the question's time is gone
        self._boot()
        deadline, question_limit = self._deadline(timeout)  # fixed once the worker is up
        self._next_id += 1
        rid = self._next_id
        header = dict(header, id=rid)
        try:
            frame = protocol.pack_message(header, value)
        except protocol.ProtocolError as exc:  # our own arguments are too big: a grader bug
            raise StudentCallFailed(f"could not send the arguments: {exc}", "protocol") from None
        try:
            protocol.write_all(self.proc.stdin.fileno(), frame, deadline)
            body = protocol.read_frame(self.proc.stdout.fileno(), deadline)
            reply, result = protocol.unpack_message(body)
            if reply.get("id") != rid:
                raise protocol.ProtocolError(f"reply to request {reply.get('id')!r}, expected {rid}")
        except protocol.ChannelTimeout:
            self._kill()
            raise StudentCallFailed(f"{what} did not finish in time (an infinite loop, or far too slow)", "timeout",
                                    question_limit=question_limit) from None
        except protocol.ChannelClosed:
            time.sleep(0.01)  # let the exit status settle
            how = self._kill()
            raise StudentCallFailed(
                f"the worker process died in {what} ({how or 'no exit status'}): sys.exit, os._exit, a crash or a memory limit?",
                "died",
            ) from None
        except protocol.ProtocolError as exc:
            self._kill()
            raise StudentCallFailed(f"{what} produced an invalid reply ({exc})", "protocol") from None
        return reply, result

    def _deadline(self, timeout: float | None) -> tuple[float, bool]:
        """(absolute deadline of a call starting now, whether the question's limit set it)."""
        now = time.monotonic()
        deadline = now + (timeout if timeout is not None else CALL_TIMEOUT)
        if self.deadline is not None:
            if self.deadline <= now:
                raise StudentCallFailed("the question's time limit was used up", "timeout", question_limit=True)
            if self.deadline < deadline:
                return self.deadline, True
        return deadline, False

    def inspect(self, module: str, names: list[str]) -> dict:
        """``{"ok": bool, "error": str, "signatures": {name: str | None}}`` for ``nnkit.<module>``."""
        key = f"{module}:{','.join(names)}"
        if key not in self._inspected:
            try:
                reply, sigs = self._request(
                    {"op": "inspect", "module": module, "names": list(names)}, None,
                    None, what=f"the import of {module}.py",
                )
            except StudentCallFailed as exc:
                if exc.question_limit:  # the question ran out, not the import: a later question may import it
                    raise
                # dying or hanging at import happens again on every retry: remember it
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
                    other = where.split(" ")[0]
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


def error_types(err) -> tuple[str, ...]:
    """('ConfigError', 'ValueError', 'Exception', ...): the raised class and its bases, from the worker's error dict."""
    if not isinstance(err, dict):
        return ()
    bases = err.get("bases")
    bases = [str(b)[:60] for b in bases[:20]] if isinstance(bases, list) else []
    return (str(err.get("type", "Error"))[:60], *bases)


def _builtin_base(err) -> str:
    """'ValueError' for a student's ``class ConfigError(ValueError)``; '' for a builtin or plain exception."""
    names = error_types(err)
    if not names or isinstance(getattr(builtins, names[0], None), type):
        return ""
    for name in names[1:]:
        if name not in ("Exception", "BaseException") and isinstance(getattr(builtins, name, None), type):
            return name
    return ""


def format_error(err) -> str:
    """'ValueError: bad shape (gates.py line 12)' from the worker's error dict.

    A student's own exception class shows its builtin base: 'ConfigError(ValueError): ...'.
    """
    if not isinstance(err, dict):
        return "unknown error"
    kind, message = str(err.get("type", "Error"))[:60], str(err.get("message", ""))[:300]
    base = _builtin_base(err)
    if base:
        kind = f"{kind}({base})"
    text = f"{kind}: {message}" if message else kind
    if kind == "NotImplementedError":
        text = "not implemented yet"
    where = str(err.get("where") or "")[:100]
    return f"{text} ({where})" if where else text
