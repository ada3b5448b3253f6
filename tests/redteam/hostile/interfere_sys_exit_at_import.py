"""Interfering: sys.exit() at import time."""
CATEGORY = "interfere"
MODULE = "layers"
LOSES = ["1.6"]

import sys as _sys

_sys.exit(0)
