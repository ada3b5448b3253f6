"""2.2 Cross-entropy losses and L2 regularisation (10 points).

Each function is one part, right on every case (moderate values, ±1000,
random inputs) or lost whole: one mistake, the function's share (manifest
``shares``).
"""

import numpy as np

from autograder.authoring import array, dims, kinds, question, seeds, st

CASES = st.tuples(dims(1, 5), dims(2, 5), seeds(), kinds("normal", "large"))


@question("2.2.1", points=4)
def test_binary_cross_entropy(q):
    """binary_cross_entropy: loss and dlogits, finite for logits at ±1000"""
    y = (q.rng.random(5) < 0.5).astype(np.int64)
    y[:2] = [0, 1]
    saturated = np.array([1000.0, -1000.0, 1000.0, -1000.0]) * q.rng.choice([1.0, -1.0])

    def one(case):
        n, _, seed, kind = case
        q.check("losses.binary_cross_entropy", array((n,), seed, kind), (array((n,), seed + 1) > 0).astype(np.int64),
                case=f"random logits ({kind}), N = {n}")

    with q.part(4, "binary_cross_entropy: moderate logits, logits ±1000 on both sides, random inputs"):
        q.check("losses.binary_cross_entropy", q.rng.standard_normal(5), y, case="moderate logits")
        q.check("losses.binary_cross_entropy", saturated, np.array([1, 0, 0, 1]),
                case="logits ±1000, right and wrong side: finite loss and gradient")
        q.check_examples(CASES, one, max_examples=10)


@question("2.2.2", points=4)
def test_softmax_cross_entropy(q):
    """softmax_cross_entropy: loss and dscores (÷ N), each row stable at ±1000"""
    # rows ±1000 apart: a shift by one global max underflows the low rows to log(0)
    far = q.rng.standard_normal((3, 3)) + np.array([[1000.0], [0.0], [-1000.0]])
    far[0, 0] += 1000.0

    def one(case):
        n, c, seed, kind = case
        q.check("losses.softmax_cross_entropy", array((n, c), seed, kind),
                np.random.default_rng(seed).integers(0, c, n), case=f"random scores ({kind}), ({n}, {c})")

    with q.part(4, "softmax_cross_entropy: moderate scores, rows ±1000 apart, random inputs"):
        q.check("losses.softmax_cross_entropy", q.rng.standard_normal((4, 3)), q.rng.integers(0, 3, 4),
                case="N = 4, C = 3")
        q.check("losses.softmax_cross_entropy", far, q.rng.integers(0, 3, 3),
                case="rows ±1000 apart, scores 1000 apart within a row")
        q.check_examples(CASES, one, max_examples=10)


@question("2.2.3", points=2)
def test_l2_regularization(q):
    """l2_regularization: reg · Σ W² and 2 · reg · W"""
    W = q.rng.standard_normal((3, 2))
    with q.part(2, "l2_regularization: reg > 0 and reg = 0"):
        q.check("losses.l2_regularization", W, float(q.rng.uniform(0.05, 0.5)), case="reg > 0")
        q.check("losses.l2_regularization", W, 0.0, case="reg = 0")
