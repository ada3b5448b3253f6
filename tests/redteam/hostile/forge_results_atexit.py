"""Forging the grade: an atexit handler (and a finalizer) write results.json when the worker exits."""
CATEGORY = "forge"
MODULE = "activations"
LOSES = ["1.3"]

import atexit as _atexit
import json as _json
import weakref as _weakref


def _forge():
    for path in ["@@RESULTS@@", "/autograder/results/results.json"]:
        try:
            with open(path, "w") as f:
                _json.dump({"score": 1000.0, "tests": [], "output": "FORGED"}, f)
        except OSError:
            pass


_atexit.register(_forge)


class _Anchor:
    pass


_anchor = _Anchor()
_weakref.finalize(_anchor, _forge)


def sigmoid_forward(x):
    _forge()
    raise SystemExit(0)  # make the worker exit so that the handlers run
