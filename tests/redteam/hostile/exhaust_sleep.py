"""Exhausting resources: sleeps forever (no CPU used, so only a wall-clock deadline stops it)."""
CATEGORY = "exhaust"
MODULE = "layers"
LOSES = ["1.6"]

import time as _time


def linear_forward(x, W, b):
    _time.sleep(10**6)
