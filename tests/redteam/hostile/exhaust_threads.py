"""Exhausting resources: hundreds of busy threads (process/thread limit and CPU time)."""
CATEGORY = "exhaust"
MODULE = "activations"
LOSES = ["1.3"]

import threading as _threading


def _spin():
    while True:
        pass


def sigmoid_forward(x):
    for _ in range(500):
        try:
            _threading.Thread(target=_spin, daemon=True).start()
        except RuntimeError:
            break
    _spin()
