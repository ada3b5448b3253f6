"""Interfering: os._exit() at import time (no exception to catch: the worker just ends)."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os

_os._exit(0)
