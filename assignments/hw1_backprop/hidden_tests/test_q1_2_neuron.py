"""1.2 The sigmoid neuron (15 points: 7.5 per function, 3.75 per gradient)."""

import numpy as np

from autograder.authoring import array, dims, kinds, question, seeds, st

RANDOM = st.tuples(dims(1, 5), dims(2, 5), seeds(), kinds("normal", "large"))


def with_bias(x):
    """The lecture's convention: feature 0 is the constant 1."""
    x = np.array(x, dtype=np.float64)
    x[..., 0] = 1.0
    return x


def inputs(q):
    """[(label, dout, x, w)]: one input (d,), a batch (N, d), saturated x·w = ±1000, random batches."""
    w = q.rng.standard_normal(3)
    big = with_bias(q.rng.standard_normal((2, 3)))
    big[:, 1:] *= (np.array([1000.0, -1000.0]) / (big[:, 1:] @ w[1:]))[:, None]   # x·w = w0 ± 1000
    cases = [("one input", np.float64(1.5), with_bias(q.rng.standard_normal(3)), w),
             ("a batch", q.rng.standard_normal(4), with_bias(q.rng.standard_normal((4, 3))), w),
             ("saturated: x·w = ±1000", q.rng.standard_normal(2), big, w)]
    for n, d, seed, kind in q.draw(RANDOM, 8):
        cases.append(("random batch", array((n,), seed + 2), with_bias(array((n, d), seed, kind)), array((d,), seed + 1)))
    return cases


@question("1.2.1", points=7.5)
def test_forward(q):
    """neuron_forward: one input, a batch, saturated (±1000) without NaN, random batches"""
    with q.part(7.5, "neuron_forward"):
        for label, _, x, w in inputs(q):
            q.check("gates.neuron_forward", x, w, case=label)


@question("1.2.2", points=7.5)
def test_backward(q):
    """neuron_backward: dx and dw, one input, a batch, saturated (±1000), random batches"""
    q.gradients(7.5, "gates.neuron_backward", cases=[
        q.case(dout, x, w, label=label, batch=len(x) if x.ndim == 2 else None) for label, dout, x, w in inputs(q)])
