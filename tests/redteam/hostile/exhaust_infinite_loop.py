"""Exhausting resources: an infinite loop (CPU-bound) that ignores every catchable signal."""
CATEGORY = "exhaust"
MODULE = "activations"
LOSES = ["1.3"]

import signal as _signal


def sigmoid_forward(x):
    for sig in (_signal.SIGTERM, _signal.SIGINT, _signal.SIGXCPU, _signal.SIGALRM, _signal.SIGHUP):
        try:
            _signal.signal(sig, _signal.SIG_IGN)
        except (OSError, ValueError):
            pass
    while True:
        pass
