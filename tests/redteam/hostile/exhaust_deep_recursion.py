"""Exhausting resources: unbounded recursion with the recursion limit lifted (C stack overflow)."""
CATEGORY = "exhaust"
MODULE = "activations"
LOSES = ["1.3"]

import sys as _sys


def _down(n):
    return _down(n + 1) + 1


def sigmoid_forward(x):
    _sys.setrecursionlimit(10**8)
    return _down(0)
