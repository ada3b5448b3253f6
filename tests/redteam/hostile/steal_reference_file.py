"""Stealing: reads the reference solution from disk (path known) and exfiltrates it in an error message."""
CATEGORY = "steal"
MODULE = "activations"
LOSES = ["1.3"]


def sigmoid_forward(x):
    found = []
    for path in ["@@REFERENCE@@/nnkit/activations.py", "@@REPO@@/solutions/nnkit/activations.py",
                 "/autograder/source/reference/nnkit/activations.py"]:
        try:
            with open(path) as f:
                found.append(f.read())
        except OSError as e:
            pass
    if found:
        raise RuntimeError("LEAK-OK " + found[0][:250])
    return np.zeros_like(np.asarray(x, dtype=np.float64))
