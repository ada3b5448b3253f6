"""Interfering: a thread started at import keeps writing garbage on the reply pipe and burning CPU."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os
import sys as _sys
import threading as _threading
import time as _time


def _saboteur():
    fd = getattr(_sys.modules.get("__main__"), "PROTO_OUT", 1)
    while True:
        try:
            _os.write(fd, b"\x00\x00\x00\x08garbage!")
        except OSError:
            pass
        end = _time.time() + 0.05
        while _time.time() < end:
            pass


_threading.Thread(target=_saboteur, daemon=True).start()
