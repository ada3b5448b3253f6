"""3.5 A small CNN: forward, loss and gradients (20 points).

Each function's cases are checked together: one wrong case costs that
function's whole part (init_cnn 5, cnn_forward 5, cnn_loss_and_grads 10; the
manifest's ``shares``).

It grades only the network, not 3.1 to 3.4 again: an answer that equals the
reference's ``cnn_forward`` (``cnn_loss_and_grads``) built on the student's
own layers of this homework (``FORWARD``, ``BACKWARD``: conv_forward,
max_pool_forward, and conv_backward, max_pool_backward; called through the
worker) is right too, so a wrong layer costs in its own question only. The
functions carried from earlier homeworks (ReLU, linear, softmax, L2) are the
reference's in that answer, as in hw2's 2.4. Where that answer is an error
(a pool that handles only square inputs fails on every H ≠ W), the
student's error is right too but pays only with a right value: hence one
square case in each.
"""

import numpy as np

from autograder.authoring import CheckFailed, question
from autograder.grading.checks import check_param_dict

# what the network builds on, graded in 3.2 to 3.4 (conv_output_size, 3.1, through them)
FORWARD = ("conv.conv_forward", "conv.max_pool_forward")
BACKWARD = (*FORWARD, "conv.conv_backward", "conv.max_pool_backward")


def params_for(rng, c, h, w, f, k, classes, big=0.0):
    """Random CNN parameters (non-zero biases) for (C, H, W) images, F filters k×k; ``big`` = 1000
    moves the class scores to about +1000, −1000, 0, +1000, … (a naive exp overflows)."""
    return {"W1": rng.standard_normal((f, c, k, k)) * 0.5, "b1": rng.standard_normal(f) * 0.2,
            "W2": rng.standard_normal((classes, f * (h // 2) * (w // 2))) * 0.3,
            "b2": rng.standard_normal(classes) * 0.2 + big * np.resize([1.0, -1.0, 0.0], classes)}


def he_scale(params, fan_ins):
    """CheckFailed unless each weight's std is within 15 % of sqrt(2 / fan_in) and the biases are zero."""
    for key, fan_in in fan_ins.items():
        std, want = float(np.std(params[key])), np.sqrt(2.0 / fan_in)
        if not 0.85 * want <= std <= 1.15 * want:
            raise CheckFailed(f"{key}: std {std:.3g}, expected about sqrt(2 / fan_in) = {want:.3g} (He initialisation)")
    if np.any(params["b1"] != 0) or np.any(params["b2"] != 0):
        raise CheckFailed("the biases must start at zero")


@question("3.5.1", points=5)
def test_init_cnn(q):
    """init_cnn: keys, shapes (H ≠ W), float64, He scale from fan_in, zero biases, the seed"""
    c, h, w, f, k, classes = 3, 8, 6, 16, 5, 10
    shapes = {"W1": (f, c, k, k), "b1": (f,), "W2": (classes, f * (h // 2) * (w // 2)), "b2": (classes,)}
    seed = int(q.rng.integers(2**31))
    with q.part(5, "init_cnn"):
        params = q.call("conv.init_cnn", (c, h, w), f, k, classes, seed=seed)
        reason = check_param_dict(params, shapes, "init_cnn's params")
        if reason:
            raise CheckFailed(reason)
        he_scale(params, {"W1": c * k * k, "W2": shapes["W2"][1]})
        again, other = (q.call("conv.init_cnn", (c, h, w), f, k, classes, seed=s) for s in (seed, seed + 1))
        if check_param_dict(again, shapes) or any(not np.array_equal(params[key], again[key]) for key in shapes):
            raise CheckFailed("the same seed must give the same parameters")
        if check_param_dict(other, shapes) or np.array_equal(params["W1"], other["W1"]):
            raise CheckFailed("two seeds gave the same W1: draw from np.random.default_rng(seed)")


@question("3.5.2", points=5)
def test_forward(q):
    """cnn_forward: conv (same padding) – ReLU – 2×2 pool – linear, H ≠ W, 1×1 to 5×5 filters"""
    with q.part(5, "cnn_forward"):
        for n, c, h, w, f, k, classes in ((3, 2, 4, 6, 3, 3, 4), (2, 1, 6, 4, 2, 1, 3), (2, 2, 6, 8, 2, 5, 5),
                                         (2, 1, 4, 4, 2, 3, 3)):   # a square one too: see the docstring
            q.check("conv.cnn_forward", params_for(q.rng, c, h, w, f, k, classes), q.rng.standard_normal((n, c, h, w)),
                    case=f"C = {c}, {h}×{w} images, {f} filters {k}×{k}", built_on=FORWARD)


@question("3.5.3", points=10)
def test_loss_and_grads(q):
    """cnn_loss_and_grads: loss and W1, b1, W2, b2 with reg > 0, non-zero biases, and class scores near ±1000"""
    with q.part(10, "cnn_loss_and_grads: the loss and every gradient"):
        for n, c, h, w, f, k, classes, reg, big in ((4, 2, 4, 6, 3, 3, 3, 0.05, 0.0), (3, 1, 6, 4, 2, 1, 4, 0.0, 0.0),
                                                    (4, 2, 4, 6, 3, 3, 3, 0.01, 1000.0),
                                                    (3, 1, 4, 4, 2, 3, 3, 0.01, 0.0)):
            y = q.rng.permutation(np.arange(n) % classes)      # every class, the −1000 one included
            case = f"C = {c}, {h}×{w} images, {f} filters {k}×{k}, reg {reg:g}" + (", scores ±1000" if big else "")
            q.check("conv.cnn_loss_and_grads", params_for(q.rng, c, h, w, f, k, classes, big),
                    q.rng.standard_normal((n, c, h, w)), y, reg=reg, case=case, built_on=BACKWARD)
