"""Forging the grade: writes a perfect results.json at import time (every path it can guess)."""
CATEGORY = "forge"
MODULE = "activations"
LOSES = ["1.3"]

import json as _json
import os as _os

for _path in ["@@RESULTS@@", "/autograder/results/results.json", "results.json", "../results/results.json"]:
    try:
        _os.makedirs(_os.path.dirname(_os.path.abspath(_path)), exist_ok=True)
        with open(_path, "w") as _f:
            _json.dump({"score": 1000.0, "tests": [], "output": "FORGED"}, _f)
    except OSError:
        pass


def sigmoid_forward(x):
    return np.zeros_like(np.asarray(x, dtype=np.float64))
