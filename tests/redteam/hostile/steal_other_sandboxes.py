"""Stealing: looks for other sandboxes' runtime folders (another student's submission) and the grader's temp files."""
CATEGORY = "steal"
MODULE = "activations"
LOSES = ["1.3"]

import glob as _glob
import os as _os

_HERE = _os.path.dirname(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))


def sigmoid_forward(x):
    for pattern in ["/tmp/nnkit-sandbox-*/runtime/submission/nnkit/*.py",
                    "/tmp/pytest-of-root/*/*/*"]:
        for path in _glob.glob(pattern):
            if path.startswith(_HERE):
                continue
            try:
                with open(path) as f:
                    f.read(10)
            except OSError:
                continue
            raise RuntimeError("LEAK-OK " + path)
    return np.zeros_like(np.asarray(x, dtype=np.float64))
