"""1.3 Activation functions (20 points)."""

import numpy as np

from autograder.authoring import array, dims, kinds, question, seeds, st

SATURATED = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
CASES = st.tuples(dims(1, 4), dims(1, 5), seeds(), kinds())


def at_kinks(rng):
    """x (2, 4) with exact zeros (the kink of ReLU and leaky ReLU) and a tiny negative, and dout."""
    x, dout = rng.standard_normal((2, 2, 4))
    x[0, 2] = x[1, 1] = 0.0
    x[1, 2] = -1e-3
    return x, dout


def random_inputs(q, points, name, **kw):
    """A part: forward and backward of activation ``name`` on random inputs (zeros, ties, ±50 included)."""
    def one(case):
        n, d, seed, kind = case
        x, dout = array((n, d), seed, kind), array((n, d), seed + 1)
        q.check(f"activations.{name}_forward", x, **kw)
        q.check(f"activations.{name}_backward", dout, x, **kw)

    given = ", ".join(f"{k}={v}" for k, v in kw.items())
    q.examples(points, f"random inputs ({given})" if given else "random inputs", CASES, one, max_examples=12)


@question("1.3.1", points=5)
def test_sigmoid(q):
    """sigmoid: forward (stable at ±1000), backward"""
    x, dout = at_kinks(q.rng)
    q.compare(1, "activations.sigmoid_forward", x)
    q.compare(1, "activations.sigmoid_forward", SATURATED, label="sigmoid_forward at ±1000 (no NaN)")
    q.gradients(1, "activations.sigmoid_backward", dout, x)
    q.gradients(1, "activations.sigmoid_backward", q.rng.standard_normal(5), SATURATED, label="sigmoid_backward at ±1000")
    random_inputs(q, 1, "sigmoid")


@question("1.3.2", points=5)
def test_tanh(q):
    """tanh: forward, backward, both at ±1000"""
    x, dout = at_kinks(q.rng)
    q.compare(1, "activations.tanh_forward", x)
    q.compare(1, "activations.tanh_forward", SATURATED, label="tanh_forward at ±1000")
    q.gradients(1, "activations.tanh_backward", dout, x)
    q.gradients(1, "activations.tanh_backward", q.rng.standard_normal(5), SATURATED, label="tanh_backward at ±1000")
    random_inputs(q, 1, "tanh")


@question("1.3.3", points=5)
def test_relu(q):
    """ReLU: forward, backward (no gradient where x = 0)"""
    x, dout = at_kinks(q.rng)
    q.compare(1, "activations.relu_forward", x)
    q.gradients(3, "activations.relu_backward", dout, x, kinks=x == 0)
    random_inputs(q, 1, "relu")


@question("1.3.4", points=5)
def test_leaky_relu(q):
    """leaky ReLU: default alpha and alpha = 0.2, slope alpha at exactly 0"""
    x, dout = at_kinks(q.rng)
    q.compare(1, "activations.leaky_relu_forward", x, label="leaky_relu_forward (default alpha)")
    q.compare(1, "activations.leaky_relu_forward", x, alpha=0.2, label="leaky_relu_forward (alpha=0.2)")
    q.gradients(1, "activations.leaky_relu_backward", dout, x, kinks=x == 0,
                label="leaky_relu_backward (default alpha)")
    q.gradients(1, "activations.leaky_relu_backward", dout, x, alpha=0.2, kinks=x == 0,
                label="leaky_relu_backward (alpha=0.2)")
    random_inputs(q, 1, "leaky_relu", alpha=0.3)
