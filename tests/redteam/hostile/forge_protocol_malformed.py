"""Forging the grade: answers with malformed protocol frames, a different one each call.

Pickled and object-dtype npy payloads, a 2 GB length, shapes whose element
count overflows, deep JSON, NaN/Infinity constants, payload sizes that do not
add up, a header that is not an object, a truncated frame followed by
silence. Each must fail the call (never crash or hang the grader).
"""
CATEGORY = "forge"
MODULE = "activations"
LOSES = ["1.3"]

import json as _json
import os as _os
import pickle as _pickle
import struct as _struct
import sys as _sys
import time as _time


def _npy(descr, shape, data):
    head = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    head += " " * (64 - (11 + len(head)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + _struct.pack("<H", len(head)) + head.encode() + data


def _frame(header, blobs=(), raw_header=None):
    head = raw_header if raw_header is not None else _json.dumps(dict(header, blobs=[len(b) for b in blobs])).encode()
    body = _struct.pack(">I", len(head)) + head + b"".join(blobs)
    return _struct.pack(">I", len(body)) + body


def _attacks(rid):
    ok = {"id": rid, "ok": True, "modified": []}
    pickled = _pickle.dumps([1.0, 2.0])
    return [
        _frame(dict(ok, value={"$": "nd", "blob": 0}), [_npy("|O", "(2,)", pickled)]),
        _frame(dict(ok, value={"$": "nd", "blob": 0}), [_npy("<f8", "(4294967296, 4294967296)", b"")]),
        _frame(dict(ok, value={"$": "nd", "blob": 0}), [_npy("<c16", "(1,)", b"\0" * 16)]),
        _frame(dict(ok, value={"$": "nd", "blob": 0}), [_npy("<f8", "(3,)", b"\0" * 8)]),
        _frame({}, raw_header=b"[" * 100000 + b"]" * 100000),
        _frame({}, raw_header=('{"id": %d, "ok": true, "value": NaN, "blobs": []}' % rid).encode()),
        _frame({}, raw_header=('{"id": %d, "ok": true, "value": 1e999, "blobs": []}' % rid).encode()),
        _frame(dict(ok, value={"$": "fn", "name": "affine", "args": {}})),
        _frame(dict(ok, value={"$": "nd", "blob": 0}), [b"\0" * 10]) + b"trailing",
        _struct.pack(">I", 0x7FFFFFF0) + b"x" * 1000,
        _struct.pack(">I", 1000) + b"truncated",
    ]


def sigmoid_forward(x):
    frame = _sys._getframe()
    rid = 0
    while frame is not None:
        header = frame.f_locals.get("header")
        if isinstance(header, dict) and isinstance(header.get("id"), int):
            rid = header["id"]
        frame = frame.f_back
    attacks = _attacks(rid)
    fd = getattr(_sys.modules.get("__main__"), "PROTO_OUT", 1)
    try:
        _os.write(fd, attacks[rid % len(attacks)])   # request ids vary: so do the attacks
    except OSError:
        pass
    _time.sleep(30)   # the forged frame must be judged on its own, the real reply never comes
    return np.zeros_like(np.asarray(x, dtype=np.float64))
