"""2.4 Backpropagation through the network (15 points).

``loss_and_grads`` is the question's one function: each test is one part,
the loss and every gradient right on each of its cases (reg > 0 with
non-zero biases in every test, so that a regularised bias shows), or lost
whole. It grades only backpropagation, not 2.2 again: an answer that
equals the reference's ``loss_and_grads`` built on the student's own
``softmax_cross_entropy`` and ``l2_regularization`` (called through the
worker) is right too, so a wrong loss costs in 2.2 only.
"""

from autograder.authoring import question

# what loss_and_grads builds on, graded in 2.2
LOSSES = ("losses.softmax_cross_entropy", "losses.l2_regularization")


def network_case(rng, sizes, n):
    """``(params, X, y)``: weights (sizes[l], sizes[l−1]), non-zero biases (they must not be
    regularised), X (n, sizes[0]) and labels in [0, sizes[−1])."""
    params = {}
    for l in range(1, len(sizes)):
        params[f"W{l}"] = 0.7 * rng.standard_normal((sizes[l], sizes[l - 1]))
        params[f"b{l}"] = 0.3 * rng.standard_normal(sizes[l])
    return params, rng.standard_normal((n, sizes[0])), rng.integers(0, sizes[-1], n)


def check_cases(q, points, label, cases):
    """A part: ``loss_and_grads`` right on every ``(sizes, n, reg)`` of ``cases``."""
    with q.part(points, label):
        for sizes, n, reg in cases:
            q.check("network.loss_and_grads", *network_case(q.rng, sizes, n), reg=reg, built_on=LOSSES,
                    case=f"sizes {sizes}, N = {n}, reg = {reg:g}")


@question("2.4.1", points=6)
def test_two_layers(q):
    """loss_and_grads: two layers, reg = 0 and reg > 0"""
    check_cases(q, 6, "loss_and_grads: sizes [5, 4, 3], reg = 0 and reg > 0",
                [([5, 4, 3], 6, 0.0), ([5, 4, 3], 6, round(float(q.rng.uniform(0.05, 0.2)), 3))])


@question("2.4.2", points=5)
def test_three_layers(q):
    """loss_and_grads: three layers, reg > 0 (weights only, biases not regularised)"""
    check_cases(q, 5, "loss_and_grads: sizes [3, 6, 5, 4], reg = 0.05", [([3, 6, 5, 4], 7, 0.05)])


@question("2.4.3", points=4)
def test_edge_cases(q):
    """loss_and_grads: a batch of one, and a single layer (no ReLU), reg > 0"""
    check_cases(q, 4, "loss_and_grads: N = 1, and one layer", [([3, 4, 2], 1, 0.1), ([4, 3], 5, 0.1)])
