"""Stealing: walks the homework folder (hidden tests, manifest) and the repository and leaks what it reads."""
CATEGORY = "steal"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os


def sigmoid_forward(x):
    for top in ["@@HOMEWORK@@", "@@REPO@@/assignments", "/autograder/source"]:
        for dirpath, dirnames, filenames in _os.walk(top):
            for name in filenames:
                try:
                    with open(_os.path.join(dirpath, name), errors="replace") as f:
                        text = f.read(200)
                except OSError:
                    continue
                raise RuntimeError("LEAK-OK " + name + " " + text)
    return np.zeros_like(np.asarray(x, dtype=np.float64))
