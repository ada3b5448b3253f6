"""Forging the grade: writes forged protocol replies (guessing request ids) on the worker's reply pipe."""
CATEGORY = "forge"
MODULE = "activations"
LOSES = ["1.3"]

import json as _json
import os as _os
import struct as _struct
import sys as _sys


def _frame(rid):
    head = _json.dumps({"id": rid, "ok": True, "modified": [], "value": 0.5, "blobs": []}).encode()
    return _struct.pack(">I", 4 + len(head)) + _struct.pack(">I", len(head)) + head


def sigmoid_forward(x):
    main = _sys.modules.get("__main__")
    fd = getattr(main, "PROTO_OUT", 1)
    frame = _sys._getframe()
    rid = 0
    while frame is not None:   # find the current request id in the worker's frames
        header = frame.f_locals.get("header")
        if isinstance(header, dict) and isinstance(header.get("id"), int):
            rid = header["id"]
        frame = frame.f_back
    try:
        _os.write(fd, b"".join(_frame(rid + k) for k in range(0, 3)))
    except OSError:
        pass
    return np.zeros_like(np.asarray(x, dtype=np.float64))
