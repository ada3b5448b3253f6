"""The untrusted worker: imports the submission and runs its functions on request.

Started by the grader through ``Sandbox.spawn`` as::

    python -I -B worker.py SUBMISSION_ROOT

where ``SUBMISSION_ROOT`` holds the staged package ``nnkit/``. It talks
``protocol`` frames on the pipes it was started with; before any student
code runs, the protocol descriptors are moved away from 0/1 and fd 0/1 point
to /dev/null, so a student's ``print`` cannot corrupt a frame.

Requests (header ``op``; ``id`` echoed in the reply):

- ``hello`` -> versions, to know the worker is up.
- ``inspect`` {module, names} -> whether the module imports (else the error
  with file and line) and the signature of each named function.
- ``call`` {target} value ``[args, kwargs]`` -> the return value, plus which
  input arrays the call modified. ``target`` is ``"module.function"`` of the
  submission (grader procedures run on the trusted side, ``trusted.py``).

Callbacks: an argument ``FunctionRef("trusted:<k>")`` becomes a stub; calling
it sends ``{"op": "callback", "call": <request id>, "ref": k}`` with
``[args, kwargs]`` and waits for the grader's reply (the value, or an error
raised as ``GraderCallbackError``). The function itself never enters the
worker (``trusted.py``). Only the call it was given to may use a stub, on
the main thread, one callback at a time: called from another thread, after
its call returned or from inside another callback (a signal handler), it
raises ``GraderCallbackError`` without touching the channel. Otherwise its
answer could reach the main loop as if it were a request, or the next
request reach the stub, and every later reply would be out of step.

A request that cannot be decoded is answered with its own id (read from the
header before the values) and ``"stage": "request"``, so that the grader
sees which request failed and why (e.g. a function reference this worker's
``callables.py`` does not know: files of another version).

Error replies carry ``builtins``: the names of the real builtin exception
classes the raised exception is an instance of, checked by identity against
the classes captured before any student code ran (a class merely *named*
``ValueError`` is not one). The submission can still patch this file in its
own process and forge a reply, so a raised type alone must never pay: the
trusted side pays a raises-part only together with a right value.

This file is copied into the sandbox next to ``protocol.py`` and
``callables.py``; standard library and numpy only, Python 3.10.
"""

from __future__ import annotations

import _thread
import builtins
import functools
import importlib
import inspect
import json
import os
import sys
import traceback
import warnings


def _isolate_stdio() -> tuple[int, int]:
    """Move the protocol to private fds; fd 0/1 become /dev/null (prints vanish)."""
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    return proto_in, proto_out


PROTO_IN, PROTO_OUT = _isolate_stdio()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402  (after the fd shuffle: numpy prints nothing, but be safe)

import callables  # noqa: E402
import protocol  # noqa: E402

SUBMISSION = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.getcwd()
sys.path.insert(0, SUBMISSION)  # holds only the staged package nnkit/ (and nnkit_check/)
# last, so it shadows nothing: flat imports between a student's files ("from layers
# import ...") work too; it holds only API module names
sys.path.append(os.path.join(SUBMISSION, "nnkit"))


# The real builtin exception classes, captured before any student import (identity, not names).
# (cls.__name__, not the builtins key: IOError and EnvironmentError are OSError)
_BUILTIN_EXCEPTIONS = {cls: cls.__name__ for cls in vars(builtins).values()
                       if isinstance(cls, type) and issubclass(cls, BaseException)}


class GraderCallbackError(RuntimeError):
    """The grader refused or could not evaluate a callback (its message says why)."""


def _where(tb) -> str:
    """'gates.py line 12' for the innermost frame of the submission, if any."""
    where = ""
    for frame in traceback.extract_tb(tb):
        if frame.filename and os.path.abspath(frame.filename).startswith(SUBMISSION):
            where = f"{os.path.basename(frame.filename)} line {frame.lineno}"
    return where


def _raising_function(tb) -> str:
    """'linear_backward': the function of the innermost frame of the submission ('' at module level)."""
    name = ""
    for frame in traceback.extract_tb(tb):
        if frame.filename and os.path.abspath(frame.filename).startswith(SUBMISSION):
            name = frame.name if frame.name.isidentifier() else ""
    return name[:80]


def _builtin_classes(exc: BaseException) -> list:
    """Names of the real builtin exception classes ``exc`` is an instance of, most specific first."""
    return [_BUILTIN_EXCEPTIONS[cls] for cls in type(exc).__mro__ if cls in _BUILTIN_EXCEPTIONS][:20]


def _text(value, limit: int) -> str:
    """``str(value)`` cut to ``limit`` characters; a hostile ``__str__`` yields a placeholder."""
    try:
        return str(value)[:limit]
    except BaseException:  # noqa: BLE001 — str() of a student object may raise anything
        return "<unprintable>"


def _error(exc: BaseException) -> dict:
    """The error dict of a reply; ``builtins`` lets the grader accept a subclass of the expected error."""
    kind = _text(getattr(type(exc), "__name__", "?"), 60)
    if isinstance(exc, SyntaxError):
        where = f"{os.path.basename(_text(exc.filename or '?', 200))} line {exc.lineno}"
        return {"type": kind, "builtins": _builtin_classes(exc), "message": _text(exc.msg, 300), "where": where}
    return {"type": kind, "builtins": _builtin_classes(exc), "message": _text(exc, 300),
            "where": _where(exc.__traceback__), "function": _raising_function(exc.__traceback__)}


def _student_function(target: str):
    module_name, _, func_name = target.partition(".")
    if not module_name.isidentifier() or not func_name.isidentifier():
        raise ValueError(f"bad function name {target!r}")
    module = importlib.import_module(f"nnkit.{module_name}")
    try:
        return getattr(module, func_name)
    except AttributeError:
        raise LookupError(f"{module_name}.py defines no function {func_name}") from None


_CURRENT_CALL = [None]   # id of the request being served (callbacks name it); None between requests
_IN_CALLBACK = [False]   # a stub is waiting for the grader's answer
# captured before any student code runs: the submission may replace threading.get_ident
_get_ident = _thread.get_ident
_MAIN_THREAD = _get_ident()


def _callback_refusal(call_id) -> str:
    """Why a stub of request ``call_id`` may not send a callback now ('' if it may).

    Only the main thread reads and writes the channel, and only while the
    stub's own request runs: any other callback would put a frame on the
    channel that neither side is waiting for.
    """
    if _get_ident() != _MAIN_THREAD:
        return "a grader function can only be called from the thread that received it, not from another thread"
    if _CURRENT_CALL[0] != call_id:
        return "a grader function kept from an earlier call cannot be called later (it works only during its own call)"
    if _IN_CALLBACK[0]:
        return "a grader function cannot be called while another grader function is running (a signal handler?)"
    return ""


def _trusted_stub(index: int):
    """The stand-in for the grader's function number ``index`` of this call: each call is a callback."""
    call_id = _CURRENT_CALL[0]

    def grader_function(*args, **kwargs):
        refusal = _callback_refusal(call_id)
        if refusal:
            raise GraderCallbackError(refusal)
        frame = protocol.pack_message({"op": "callback", "call": call_id, "ref": index}, [list(args), kwargs])
        _IN_CALLBACK[0] = True
        answered = False
        try:
            protocol.write_all(PROTO_OUT, frame)
            body = protocol.read_frame(PROTO_IN)
            answered = True
        finally:
            _IN_CALLBACK[0] = False
            if not answered:
                # interrupted between sending and reading the whole answer (a signal handler that
                # raised, a closed channel): the answer would reach the main loop as a request, so
                # the channel is out of step for good; the grader sees the worker gone instead
                os._exit(protocol.EXIT_OUT_OF_STEP)
        reply, value = protocol.unpack_message(body)
        if not reply.get("ok"):
            raise GraderCallbackError(str(reply.get("error", "the grader refused the call"))[:300])
        return value

    return grader_function


def _resolve(name: str, args):
    """FunctionRef -> callable: ``student:<module.function>``, ``trusted:<k>`` or a ``callables`` name."""
    if name.startswith("student:"):
        return functools.partial(_student_function(name[len("student:"):]), **args)
    if name.startswith("trusted:") and name[len("trusted:"):].isdigit():
        return _trusted_stub(int(name[len("trusted:"):]))
    return callables.make(name, args)


def _snapshot(value, path: str, out: list) -> None:
    """Copies of every array reachable from the arguments, to detect modification."""
    if isinstance(value, np.ndarray):
        out.append((path, value, value.copy()))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _snapshot(v, f"{path}[{i}]", out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _snapshot(v, f"{path}[{k!r}]", out)


def _modified(snapshots: list) -> list:
    changed = []
    for path, live, copy in snapshots:
        if live.shape != copy.shape or not np.array_equal(live, copy, equal_nan=True):
            changed.append(path)
    return changed


def op_inspect(header: dict, value) -> tuple[dict, object]:
    module_name = str(header.get("module", ""))
    names = [str(n) for n in header.get("names", [])]
    try:
        module = importlib.import_module(f"nnkit.{module_name}")
    except BaseException as exc:  # SyntaxError, ImportError, SystemExit at import...
        return {"ok": False, "error": _error(exc)}, None
    signatures = {}
    for name in names:
        try:
            fn = getattr(module, name, None)
            if fn is None or not callable(fn):
                signatures[name] = None
                continue
            text = str(inspect.signature(fn))
        except BaseException:  # noqa: BLE001 — a module __getattr__, a hostile annotation repr, ...
            text = "(?)"
        # the grader parses at most api_spec.MAX_SIGNATURE characters: a longer one is not worth sending
        signatures[name] = text if len(text) <= 2000 else "(?)"
    return {"ok": True}, signatures


def op_call(header: dict, value) -> tuple[dict, object]:
    target = str(header.get("target", ""))
    args, kwargs = value
    try:
        fn = _student_function(target)
    except BaseException as exc:
        return {"ok": False, "error": _error(exc), "stage": "import"}, None
    snapshots: list = []
    _snapshot(list(args), "args", snapshots)
    _snapshot(dict(kwargs), "kwargs", snapshots)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # a naive sigmoid's overflow warning costs nothing
            result = fn(*args, **kwargs)
    except BaseException as exc:  # including SystemExit and KeyboardInterrupt from student code
        return {"ok": False, "error": _error(exc)}, None
    return {"ok": True, "modified": _modified(snapshots)}, result


OPS = {"inspect": op_inspect, "call": op_call}


def _peek_id(body: bytes):
    """The request id of a frame, read before its values are decoded (callback stubs are built then)."""
    try:
        (hlen,) = protocol._LEN.unpack_from(body, 0)
        rid = json.loads(body[4:4 + hlen].decode("utf-8")).get("id")
        return rid if type(rid) is int else None
    except Exception:  # a malformed frame: unpack_message reports it
        return None


def serve(body: bytes) -> tuple[dict, object]:
    """The reply ``(header, value)`` to one request frame; ``header["id"]`` is the request's id.

    A frame that does not decode (or names a callable that cannot be built)
    is answered with the id read from its header and ``"stage": "request"``.
    """
    rid = _CURRENT_CALL[0] = _peek_id(body)
    try:
        try:
            header, value = protocol.unpack_message(body, resolve_fn=_resolve)
        except BaseException as exc:  # bad request or a callable that cannot be built
            return {"id": rid, "ok": False, "error": _error(exc), "stage": "request"}, None
        op = header.get("op")
        if op == "hello":
            reply, result = {"ok": True}, {"numpy": np.__version__, "python": sys.version.split()[0]}
        elif op in OPS:
            reply, result = OPS[op](header, value)
        else:
            reply, result = {"ok": False, "error": {"type": "ProtocolError", "message": f"unknown op {op!r}", "where": ""},
                             "stage": "request"}, None
        reply["id"] = rid
        return reply, result
    finally:
        _CURRENT_CALL[0] = None   # from now on this request's stubs refuse to run


def main() -> None:
    while True:
        try:
            body = protocol.read_frame(PROTO_IN)
        except protocol.ChannelClosed:
            os._exit(0)
        reply, result = serve(body)
        try:
            frame = protocol.pack_message(reply, result)
        except BaseException as exc:  # e.g. a return value over the caps
            frame = protocol.pack_message(
                {"id": reply.get("id"), "ok": False, "error": {"type": "ReturnValueError", "builtins": [], "message": str(exc)[:300], "where": ""}}
            )
        protocol.write_all(PROTO_OUT, frame)


if __name__ == "__main__":
    main()
