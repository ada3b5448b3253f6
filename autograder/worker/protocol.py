"""The wire protocol between the trusted grader and the untrusted worker.

One frame carries one message::

    4-byte big-endian length N | 4-byte big-endian header length H |
    H bytes of JSON header | N - 4 - H bytes: npy payloads, back to back

The JSON header holds the message (request id, operation, ...) and a value
tree in which arrays are references to the npy payloads. Values that cross
the boundary are plain data only: ``None``, ``bool``, ``int``, ``float``,
``str``, lists, tuples, dicts with ``str`` keys, numpy arrays and numpy
scalars of a whitelisted dtype (bool, signed/unsigned ints, floats). Never
pickle. Everything is checked *before* memory is allocated: frame size,
header size, nesting depth, number of nodes, per-frame element count, npy
dtype and shape. Any violation raises ``ProtocolError`` (a subclass for a
timeout or a closed channel); the caller turns that into a failed call.

This file is copied as is into the worker's sandbox, so it imports only the
standard library and numpy, and must run on Python 3.10.
"""

from __future__ import annotations

import json
import math
import os
import re
import select
import struct
import time

import numpy as np

MAX_FRAME = 64 << 20        # bytes in one frame (the digits training set is 0.7 MB)
MAX_HEADER = 1 << 20        # bytes of JSON in one frame
MAX_ELEMENTS = 8_000_000    # array elements in one frame, all arrays together
MAX_DEPTH = 32              # nesting of lists/tuples/dicts
MAX_NODES = 100_000         # values in one tree
MAX_STR = 100_000           # characters of one string

_LEN = struct.Struct(">I")

# The worker's exit status when a callback was cut off between sending it and reading the
# whole answer (a signal handler that raised): its channel is out of step, so it stops.
EXIT_OUT_OF_STEP = 70


class ProtocolError(Exception):
    """A frame or a value that breaks the protocol; the message says which rule."""


class ChannelTimeout(ProtocolError):
    """The other side did not answer before the deadline."""


class ChannelClosed(ProtocolError):
    """The other side closed its end (it exited or died)."""


class Rejected:
    """A value the worker could not express as plain data (e.g. an object array).

    The trusted side sees this instead of the value, so that a check can say
    what came back ("an ndarray subclass numpy.matrix") and fail that check.
    """

    __slots__ = ("what",)

    def __init__(self, what: str):
        self.what = str(what)[:200]

    @classmethod
    def from_worker(cls, what) -> "Rejected":
        """A rejection described by the worker: its words are the submission's, so they are quoted."""
        return cls(f"a value the grader cannot take ({quote(what, 150)})")

    def __repr__(self) -> str:
        return f"<rejected: {self.what}>"

    def __eq__(self, other):  # two rejections are never "equal answers"
        return False

    __hash__ = None


class FunctionRef:
    """A reference to a named callable a student function receives.

    ``name`` selects a grader function (``callables.FUNCTIONS``, built in the
    worker, or ``trusted.FUNCTIONS``, evaluated on the trusted side by
    callback: the client sends those as ``"trusted:<k>"``) or a student
    function (``"student:network.loss_and_grads"``); ``args`` is plain data
    that parametrises it (e.g. ``{"A": array, "c": array}``).
    """

    __slots__ = ("name", "args")

    def __init__(self, name: str, args: dict | None = None):
        self.name = str(name)
        self.args = dict(args or {})

    def __repr__(self) -> str:
        return f"FunctionRef({self.name!r})"


# -- untrusted text ---------------------------------------------------------
# Text the submission controls (exception messages, class and file names,
# printed values) is shown to students only through ``quote``: one line,
# inert, bounded, between visible marks. results.py enforces the rest
# (``results.inert``: no control character anywhere; a budget of quoted text
# per test). Defined here because the trusted side needs it where the worker's
# values are decoded (``Rejected``), and this module has no dependencies.

QUOTE_OPEN, QUOTE_CLOSE = "\u2039", "\u203a"    # ‹ › — escaped inside a quote, so a quote cannot be closed early
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,80}")


def escape_text(text: str) -> str:
    """``text`` with every non-printable character (controls, ANSI's ESC, NUL, bidi overrides,
    U+2028/2029, lone surrogates, newlines) and the quote marks written as ``\\xNN``/``\\uNNNN``/``\\UNNNNNNNN``."""
    out = []
    for ch in text:
        if ch.isprintable() and ch not in (QUOTE_OPEN, QUOTE_CLOSE):
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


def quote(value, limit: int = 200) -> str:
    """``‹text›``: untrusted text made inert (``escape_text``), at most ``limit`` characters, on one line.

    ``str()`` of a hostile object cannot raise out of here. A cut is marked ``…``.
    """
    try:
        text = value if type(value) is str else str(value)
    except Exception:  # a hostile __str__
        text = "<unprintable>"
    text = escape_text(text[: limit + 1])
    if len(text) > limit:
        text = text[:limit] + "…"
    return f"{QUOTE_OPEN}{text}{QUOTE_CLOSE}"


_PLAIN_CODE = re.compile(r"[ -~]{0,200}")   # printable ASCII on one line, no ‹ ›


def quote_code(value, limit: int = 200) -> str:
    """Code the submission wrote (a signature): as is when plain printable ASCII of at most
    ``limit`` characters (it cannot start a line or hide a character), else ``quote``d."""
    text = value if type(value) is str else None
    if text is not None and len(text) <= limit and _PLAIN_CODE.fullmatch(text):
        return text
    return quote(value, limit)


def quote_name(value, limit: int = 80) -> str:
    """A name the submission chose (a class, a file): as is when plain (letters, digits, ``_.-``), else ``quote``d."""
    text = value if type(value) is str else None
    if text is not None and _PLAIN_NAME.fullmatch(text):
        return text
    return quote(value, limit)


# -- dtypes --------------------------------------------------------------

def dtype_allowed(dtype: np.dtype) -> bool:
    """bool, signed/unsigned ints and floats; nothing with fields, objects or sub-arrays."""
    return (
        dtype.kind in "biuf"
        and not dtype.hasobject
        and dtype.fields is None
        and dtype.subdtype is None
        and dtype.itemsize <= 8
    )


# -- values -> (json tree, npy blobs) ---------------------------------------

def encode_value(value, blobs: list, *, _depth: int = 0):
    """Turn ``value`` into a JSON-able tree, appending npy payloads to ``blobs``.

    Used on both sides. Whatever cannot be expressed becomes a ``rejected``
    node (never an exception), so a partly bad return value still reports the
    good parts. ndarray subclasses are sent as their base ndarray and marked
    ``sub`` so that the trusted side can refuse them.
    """
    if _depth > MAX_DEPTH:
        return {"$": "rejected", "what": "a value nested too deeply"}
    t = type(value)
    if value is None or t is bool or t is str:
        return value if t is not str or len(value) <= MAX_STR else value[:MAX_STR]
    if t is int:
        return value if abs(value) < (1 << 63) else {"$": "rejected", "what": "an int too large"}
    if t is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if isinstance(value, FunctionRef):
        return {"$": "fn", "name": value.name, "args": encode_value(value.args, blobs, _depth=_depth + 1)}
    if isinstance(value, Rejected):
        return {"$": "rejected", "what": value.what}
    if isinstance(value, np.generic):
        arr = np.asarray(value)
        if not dtype_allowed(arr.dtype):
            return {"$": "rejected", "what": f"a numpy scalar of dtype {arr.dtype}"}
        blobs.append(_npy_bytes(arr))
        return {"$": "scalar", "blob": len(blobs) - 1}
    if isinstance(value, np.ndarray):
        node = {"$": "nd"}
        if t is not np.ndarray:
            node["sub"] = f"{t.__module__}.{t.__qualname__}"[:100]
            value = value.view(np.ndarray)
        if not dtype_allowed(value.dtype):
            return {"$": "rejected", "what": f"an array of dtype {value.dtype}"}
        blobs.append(_npy_bytes(value))
        node["blob"] = len(blobs) - 1
        return node
    if t is tuple or t is list:
        items = [encode_value(v, blobs, _depth=_depth + 1) for v in value]
        return items if t is list else {"$": "tuple", "items": items}
    if t is dict:
        if not all(type(k) is str for k in value):
            return {"$": "rejected", "what": "a dict with non-str keys"}
        return {"$": "dict", "items": [[k, encode_value(v, blobs, _depth=_depth + 1)] for k, v in value.items()]}
    return {"$": "rejected", "what": f"an object of type {t.__module__}.{t.__qualname__}"[:200]}


def _npy_bytes(arr: np.ndarray) -> bytes:
    """A version-1.0 npy file of ``arr`` (C order), written directly: numpy's writer is slow for tiny arrays."""
    shape = f"{arr.shape[0]}," if arr.ndim == 1 else ", ".join(str(s) for s in arr.shape)
    head = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (arr.dtype.str, shape)
    pad = 64 - (10 + len(head) + 1) % 64
    head = head + " " * pad + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head.encode("latin1") + arr.tobytes(order="C")


# -- (json tree, npy blobs) -> values ---------------------------------------

class _Budget:
    def __init__(self):
        self.nodes = 0
        self.elements = 0


def decode_value(tree, blobs: list, *, resolve_fn=None, _depth: int = 0, _budget: _Budget | None = None):
    """Inverse of ``encode_value``, strict: unknown tags, bad blobs or caps raise ProtocolError.

    ``resolve_fn(name, args)`` turns a ``fn`` node into a callable (worker side);
    without it a ``fn`` node is a protocol error (the trusted side never
    receives callables).
    """
    budget = _budget or _Budget()
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise ProtocolError(f"more than {MAX_NODES} values in one message")
    if _depth > MAX_DEPTH:
        raise ProtocolError(f"values nested deeper than {MAX_DEPTH}")
    t = type(tree)
    if tree is None or t is bool or t is int or t is float or t is str:
        if t is float and not math.isfinite(tree):
            raise ProtocolError("non-finite float outside a float node")
        return tree
    kw = dict(resolve_fn=resolve_fn, _depth=_depth + 1, _budget=budget)
    if t is list:
        return [decode_value(v, blobs, **kw) for v in tree]
    if t is not dict or type(tree.get("$")) is not str:
        raise ProtocolError(f"unexpected JSON value of type {t.__name__}")
    tag = tree["$"]
    if tag == "float":
        v = tree.get("v")
        if v not in ("nan", "inf", "-inf"):
            raise ProtocolError(f"bad float node {v!r}")
        return float(v)
    if tag == "tuple":
        return tuple(decode_value(v, blobs, **kw) for v in _list(tree, "items"))
    if tag == "dict":
        out = {}
        for pair in _list(tree, "items"):
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                raise ProtocolError("bad dict item")
            out[pair[0]] = decode_value(pair[1], blobs, **kw)
        return out
    if tag in ("nd", "scalar"):
        arr = _blob(tree, blobs, budget)
        if "sub" in tree:
            return Rejected(f"an ndarray subclass {quote_name(str(tree['sub'])[:100], 100)} (expected a plain numpy.ndarray)")
        if tag == "scalar":
            if arr.ndim != 0:
                raise ProtocolError("scalar node with a non-scalar payload")
            return arr[()]
        return arr
    if tag == "rejected":
        return Rejected.from_worker(str(tree.get("what", "an unknown value"))) if resolve_fn is None \
            else Rejected(str(tree.get("what", "an unknown value")))
    if tag == "fn":
        if resolve_fn is None:
            raise ProtocolError("a function reference is not allowed here")
        name = tree.get("name")
        if type(name) is not str:
            raise ProtocolError("bad function reference")
        return resolve_fn(name, decode_value(tree.get("args", {}), blobs, **kw))
    raise ProtocolError(f"unknown value tag {tag!r}")


def _list(tree: dict, key: str) -> list:
    v = tree.get(key)
    if type(v) is not list:
        raise ProtocolError(f"'{key}' must be a list")
    return v


def _blob(tree: dict, blobs: list, budget: _Budget) -> np.ndarray:
    i = tree.get("blob")
    if type(i) is not int or not 0 <= i < len(blobs):
        raise ProtocolError(f"bad payload reference {i!r}")
    return read_npy(blobs[i], budget)


_NPY_HEADER = re.compile(
    r"\{'descr': '([<>|=]?[a-z][0-9]{1,2})', 'fortran_order': (True|False), 'shape': \(([0-9, ]{0,200})\), \} *\n"
)


def read_npy(data: bytes, budget: _Budget | None = None) -> np.ndarray:
    """Parse one npy (version 1.0/2.0) payload strictly; the header is checked before any allocation.

    The header is matched against the exact form numpy writes (no
    ``literal_eval``, nothing executed); the dtype must pass the whitelist
    and the data length must equal shape × itemsize.
    """
    budget = budget or _Budget()
    if len(data) < 10 or data[:6] != b"\x93NUMPY" or data[6] not in (1, 2):
        raise ProtocolError("payload is not an npy array (bad magic)")
    if data[6] == 1:
        (hlen,), start = struct.unpack_from("<H", data, 8), 10
    else:
        (hlen,), start = struct.unpack_from("<I", data, 8), 12
    if hlen > 10000 or start + hlen > len(data):
        raise ProtocolError("bad npy header length")
    match = _NPY_HEADER.fullmatch(data[start:start + hlen].decode("latin1"))
    if not match:
        raise ProtocolError("npy header is not in numpy's plain form (structured or object dtype?)")
    try:
        dtype = np.dtype(match.group(1))
    except TypeError:
        raise ProtocolError(f"unknown dtype {match.group(1)!r}") from None
    if not dtype_allowed(dtype):
        raise ProtocolError(f"dtype {dtype} is not allowed (bool, int, uint, float only)")
    dims = [d.strip() for d in match.group(3).split(",")]
    if dims and dims[-1] == "":
        dims.pop()
    if len(dims) > 32 or not all(d.isdigit() for d in dims):
        raise ProtocolError(f"bad npy shape ({match.group(3)})")
    shape = tuple(int(d) for d in dims)
    count = 1
    for s in shape:
        count *= s
    budget.elements += count
    if budget.elements > MAX_ELEMENTS:
        raise ProtocolError(f"more than {MAX_ELEMENTS} array elements in one message")
    offset = start + hlen
    if len(data) - offset != count * dtype.itemsize:
        raise ProtocolError(
            f"npy payload has {len(data) - offset} data bytes, shape {shape} of {dtype} needs {count * dtype.itemsize}"
        )
    arr = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
    arr = arr.reshape(shape, order="F" if match.group(2) == "True" else "C")
    return np.array(arr, dtype=dtype.newbyteorder("="), order="C")  # owned, writable, native


# -- messages <-> frames -------------------------------------------------

def pack_message(header: dict, value=None) -> bytes:
    """Encode ``header`` (plain JSON) plus ``value`` (any plain data) as one frame."""
    blobs: list[bytes] = []
    message = dict(header)
    message["value"] = encode_value(value, blobs)
    message["blobs"] = [len(b) for b in blobs]
    head = json.dumps(message, allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(head) > MAX_HEADER:
        raise ProtocolError(f"header of {len(head)} bytes exceeds {MAX_HEADER}")
    size = 4 + len(head) + sum(len(b) for b in blobs)
    if size > MAX_FRAME:
        raise ProtocolError(f"message of {size} bytes exceeds {MAX_FRAME}")
    return b"".join([_LEN.pack(size), _LEN.pack(len(head)), head, *blobs])


def unpack_message(body: bytes, *, resolve_fn=None) -> tuple[dict, object]:
    """Inverse of ``pack_message`` (without the outer length): ``(header, value)``."""
    if len(body) < 4:
        raise ProtocolError("frame shorter than its header length")
    (hlen,) = _LEN.unpack_from(body, 0)
    if hlen > MAX_HEADER or 4 + hlen > len(body):
        raise ProtocolError(f"bad header length {hlen}")
    try:
        header = json.loads(body[4:4 + hlen].decode("utf-8"), parse_constant=_no_constant)
    except ProtocolError:
        raise
    except Exception as exc:
        raise ProtocolError(f"header is not valid JSON: {exc}") from None
    if type(header) is not dict:
        raise ProtocolError("header is not a JSON object")
    sizes = header.pop("blobs", [])
    if type(sizes) is not list or not all(type(s) is int and s >= 0 for s in sizes):
        raise ProtocolError("bad payload size list")
    pos = 4 + hlen
    if pos + sum(sizes) != len(body):
        raise ProtocolError("payload sizes do not add up to the frame length")
    blobs = []
    for s in sizes:
        blobs.append(body[pos:pos + s])
        pos += s
    value = decode_value(header.pop("value", None), blobs, resolve_fn=resolve_fn)
    return header, value


def _no_constant(name):
    raise ProtocolError(f"JSON constant {name} is not allowed")


# -- frames on file descriptors --------------------------------------------

def _remaining(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise ChannelTimeout("no answer before the deadline")
    return left


def read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    """Read exactly ``n`` bytes from ``fd``, waiting at most until ``deadline`` (monotonic)."""
    chunks = []
    while n > 0:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], _remaining(deadline))
            if not ready:
                raise ChannelTimeout("no answer before the deadline")
        try:
            chunk = os.read(fd, min(n, 1 << 20))
        except BlockingIOError:
            continue
        except OSError as exc:
            raise ChannelClosed(f"read failed: {exc}") from None
        if not chunk:
            raise ChannelClosed("the other side closed the channel")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, deadline: float | None = None, max_frame: int = MAX_FRAME) -> bytes:
    """One frame's body (without the length); the length is checked before reading on."""
    (size,) = _LEN.unpack(read_exact(fd, 4, deadline))
    if size > max_frame:
        raise ProtocolError(f"frame of {size} bytes exceeds the cap of {max_frame}")
    if size < 4:
        raise ProtocolError(f"frame of {size} bytes is too short")
    return read_exact(fd, size, deadline)


def write_all(fd: int, data: bytes, deadline: float | None = None) -> None:
    """Write all of ``data``; with a deadline the fd must be non-blocking."""
    view = memoryview(data)
    while view:
        if deadline is not None:
            _, ready, _ = select.select([], [fd], [], _remaining(deadline))
            if not ready:
                raise ChannelTimeout("the other side does not read")
        try:
            n = os.write(fd, view[: 1 << 20])
        except BlockingIOError:
            continue
        except (BrokenPipeError, OSError) as exc:
            raise ChannelClosed(f"write failed: {exc}") from None
        view = view[n:]
