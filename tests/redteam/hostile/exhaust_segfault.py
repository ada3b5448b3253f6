"""Exhausting resources: a segmentation fault through ctypes."""
CATEGORY = "exhaust"
MODULE = "layers"
LOSES = ["1.6"]

import ctypes as _ctypes


def linear_forward(x, W, b):
    return _ctypes.string_at(0, 100)
