"""2.3 An L-layer ReLU network: parameters, forward pass, prediction (10 points).

Each function is one part (all its cases), worth its share (manifest ``shares``).
"""

import numpy as np

from autograder.authoring import CheckFailed, question
from autograder.grading.checks import check_param_dict


def random_params(rng, sizes):
    """``W1, b1, …`` for ``sizes`` [d, h…, C]: Wl (sizes[l], sizes[l−1]), non-zero biases bl."""
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = rng.standard_normal((sizes[l], sizes[l - 1])) * np.sqrt(2.0 / sizes[l - 1])
        params[f"b{l}"] = 0.1 * rng.standard_normal(sizes[l])
    return params


def fail_if(reason):
    """CheckFailed(reason) unless ``reason`` is None."""
    if reason:
        raise CheckFailed(reason)


def shapes_of(sizes):
    """``{"W1": (h1, d), "b1": (h1,), …}``: what ``init_params(sizes)`` returns (its docstring)."""
    return {key: shape for l in range(1, len(sizes))
            for key, shape in ((f"W{l}", (sizes[l], sizes[l - 1])), (f"b{l}", (sizes[l],)))}


@question("2.3.1", points=4)
def test_init_params(q):
    """init_params: keys, shapes, He scale sqrt(2 / fan_in), zero biases, the seed decides"""
    # fan_in and fan_out far apart, so that a scale from the wrong one is plain
    sizes = [int(q.rng.integers(250, 350)), int(q.rng.integers(40, 70)), 10]
    seed = int(q.rng.integers(1, 10_000))
    with q.part(4, "init_params: keys, shapes, float64, He scale, zero biases, the seed"):
        params = q.call("network.init_params", sizes, seed=seed)
        fail_if(check_param_dict(params, shapes_of(sizes), "init_params"))
        for l in (1, 2):
            W, want = params[f"W{l}"], np.sqrt(2.0 / sizes[l - 1])
            if not 0.85 * want <= np.std(W) <= 1.15 * want or abs(np.mean(W)) > 0.2 * want:
                raise CheckFailed(f"W{l}: std {np.std(W):.3g}, expected about sqrt(2 / fan_in) = {want:.3g} "
                                  f"with fan_in = {sizes[l - 1]} (He), mean about 0")
            if np.any(params[f"b{l}"] != 0):
                raise CheckFailed(f"b{l}: biases must start at zero")
        again = q.call("network.init_params", sizes, seed=seed)
        if check_param_dict(again, shapes_of(sizes)) or not all(np.array_equal(again[k], params[k]) for k in params):
            raise CheckFailed("two calls with the same seed gave different parameters")
        other = q.call("network.init_params", sizes, seed=seed + 1)
        if type(other) is dict and np.array_equal(other.get("W1"), params["W1"]):
            raise CheckFailed("seeds differing by 1 gave identical weights: the seed is not used")


@question("2.3.2", points=4)
def test_forward(q):
    """forward: one, two and three layers, ReLU between layers only"""
    d = int(q.rng.integers(3, 6))
    with q.part(4, "forward: 1, 2 and 3 layers"):
        for sizes in ([d, 3], [d, 5, 3], [d, 6, 4, 2]):
            q.check("network.forward", random_params(q.rng, sizes), q.rng.standard_normal((5, d)),
                    case=f"sizes {sizes}")


@question("2.3.3", points=2)
def test_predict(q):
    """predict: int64 labels, the argmax of the scores"""
    params, X = random_params(q.rng, [4, 6, 3]), q.rng.standard_normal((8, 4))
    with q.part(2, "predict: labels of 8 samples, 2 layers"):
        # right too: the argmax of the student's own forward (a wrong forward costs in 2.3.2 only)
        q.check("network.predict", params, X, built_on=("network.forward",))
