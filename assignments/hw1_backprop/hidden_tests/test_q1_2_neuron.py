"""1.2 The sigmoid neuron (15 points)."""

import numpy as np

from autograder.authoring import array, dims, kinds, question, seeds, st


def with_bias(x):
    """The lecture's convention: feature 0 is the constant 1."""
    x = np.array(x, dtype=np.float64)
    x[..., 0] = 1.0
    return x


def saturating(rng, w):
    """Two inputs (2, d) whose scores x·w are w[0] + 1000 and w[0] − 1000."""
    x = with_bias(rng.standard_normal((2, len(w))))
    x[:, 1:] *= (np.array([1000.0, -1000.0]) / (x[:, 1:] @ w[1:]))[:, None]
    return x


@question("1.2.1", points=6)
def test_forward(q):
    """neuron_forward: one input, a batch, saturated (±1000) without NaN"""
    w = q.rng.standard_normal(3)
    q.compare(2, "gates.neuron_forward", with_bias(q.rng.standard_normal(3)), w, label="one input (d,)")
    q.compare(2, "gates.neuron_forward", with_bias(q.rng.standard_normal((4, 3))), w, label="a batch (N, d)")
    q.compare(2, "gates.neuron_forward", saturating(q.rng, w), w, label="saturated: x·w = ±1000")


@question("1.2.2", points=6)
def test_backward(q):
    """neuron_backward: dx and dw, one input, a batch, saturated (±1000)"""
    w = q.rng.standard_normal(3)
    q.gradients(2, "gates.neuron_backward", np.float64(1.5), with_bias(q.rng.standard_normal(3)), w, label="one input")
    q.gradients(3, "gates.neuron_backward", q.rng.standard_normal(4), with_bias(q.rng.standard_normal((4, 3))), w,
                label="a batch", batch=4)
    q.gradients(1, "gates.neuron_backward", q.rng.standard_normal(2), saturating(q.rng, w), w,
                label="saturated: x·w = ±1000")


@question("1.2.3", points=3)
def test_random(q):
    """neuron forward and backward on random batches, large scores included"""
    cases = st.tuples(dims(1, 5), dims(2, 5), seeds(), kinds("normal", "large"))

    def one(case):
        n, d, seed, kind = case
        x, w, dout = with_bias(array((n, d), seed, kind)), array((d,), seed + 1), array((n,), seed + 2)
        q.check("gates.neuron_forward", x, w)
        q.check("gates.neuron_backward", dout, x, w)

    q.examples(3, "random inputs", cases, one, max_examples=15)
