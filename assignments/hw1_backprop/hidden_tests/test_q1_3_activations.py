"""1.3 Activation functions (20 points: 2.5 per function)."""

import numpy as np

from autograder.authoring import array, dims, kinds, question, seeds, st

SATURATED = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
RANDOM = st.tuples(dims(1, 4), dims(1, 5), seeds(), kinds())


def inputs(q):
    """[(label, x, dout)]: exact zeros (the kink) and a tiny negative, ±1000, random (zeros, ties, ±50)."""
    x, dout = q.rng.standard_normal((2, 2, 4))
    x[0, 2] = x[1, 1] = 0.0
    x[1, 2] = -1e-3
    cases = [("exact zeros", x, dout), ("±1000", SATURATED, q.rng.standard_normal(5))]
    cases += [("random inputs", array((n, d), seed, kind), array((n, d), seed + 1))
              for n, d, seed, kind in q.draw(RANDOM, 8)]
    return cases


def activation(q, name, *alphas):
    """Two parts: ``name``_forward and ``name``_backward on every input (and every alpha given),
    2.5 points each, right everywhere or lost."""
    options = [{"alpha": a} for a in alphas] or [{}]
    cases = inputs(q)
    with q.part(2.5, f"{name}_forward"):
        for label, x, _ in cases:
            for kw in options:
                q.check(f"activations.{name}_forward", x, case=label, **kw)
    q.gradients(2.5, f"activations.{name}_backward", cases=[
        q.case(dout, x, label=label, kinks=x == 0, **kw) for label, x, dout in cases for kw in options])


@question("1.3.1", points=5)
def test_sigmoid(q):
    """sigmoid: forward and backward, stable at ±1000"""
    activation(q, "sigmoid")


@question("1.3.2", points=5)
def test_tanh(q):
    """tanh: forward and backward, stable at ±1000"""
    activation(q, "tanh")


@question("1.3.3", points=5)
def test_relu(q):
    """ReLU: forward, backward (no gradient where x = 0)"""
    activation(q, "relu")


@question("1.3.4", points=5)
def test_leaky_relu(q):
    """leaky ReLU: default alpha, alpha = 0.2 and 0.3, slope alpha at exactly 0"""
    activation(q, "leaky_relu", 0.01, 0.2, 0.3)
