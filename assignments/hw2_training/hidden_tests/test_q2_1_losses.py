"""2.1 L2, hinge and multiclass SVM losses (10 points).

Each function is one part: its loss and gradient must be right on every
case (placed kinks and ties, then random inputs), so one mistake costs the
function's whole share (manifest ``shares``), once.
"""

import numpy as np

from autograder.authoring import array, dims, question, seeds, st

CASES = st.tuples(dims(1, 5), dims(2, 4), seeds(), st.booleans())   # N, C, seed, integer (tied) scores


def signs(rng, n):
    """Labels in {−1, +1} of shape (n,), both present when n ≥ 2."""
    y = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    y[:2] = [1.0, -1.0][:n]
    return y


def scores_of(seed, shape, tied):
    """Scores drawn from ``seed``: small integers (ties, margins exactly at the kink) or normal."""
    return array(shape, seed, "ties" if tied else "normal")


@question("2.1.1", points=3)
def test_l2(q):
    """l2_loss: mean over the batch of ||pred_i − y_i||², and dpred"""
    def one(case):
        n, m, seed, flat = case
        shape = (n,) if flat else (n, m)
        q.check("losses.l2_loss", array(shape, seed), array(shape, seed + 1), case=f"random {shape}")

    with q.part(3, "l2_loss: loss and dpred, (N, m) and (N,), random inputs"):
        q.check("losses.l2_loss", *q.rng.standard_normal((2, 4, 3)), case="N = 4, m = 3")
        q.check("losses.l2_loss", *q.rng.standard_normal((2, 5)), case="shape (5,)")
        q.check_examples(CASES, one, max_examples=10)


@question("2.1.2", points=3)
def test_hinge(q):
    """hinge_loss: y ∈ {−1, +1}, no gradient where the margin y·s is exactly 1 (the kink)"""
    y = signs(q.rng, 8)
    scores = 1.5 * q.rng.standard_normal(8)
    scores[[0, 1, 5]] = y[[0, 1, 5]]                   # 1 − y·s = 0 exactly

    def one(case):
        n, _, seed, tied = case
        q.check("losses.hinge_loss", scores_of(seed, (n,), tied), signs(np.random.default_rng(seed + 1), n),
                case=f"random, N = {n}")

    with q.part(3, "hinge_loss: loss and dscores, margins exactly at the kink, random inputs"):
        q.check("losses.hinge_loss", scores, y, case="three margins exactly at the kink")
        q.check_examples(CASES, one, max_examples=10)


@question("2.1.3", points=4)
def test_svm(q):
    """svm_loss: multiclass, margin 1, margins exactly 0 and tied scores pass no gradient"""
    n, c = 6, 4
    scores = q.rng.standard_normal((n, c))
    y = q.rng.integers(0, c, n)
    y[:2] = [0, 3]
    for i, j in ((0, 1), (1, 0), (4, (y[4] + 2) % c)):   # s_ij = s_iy − 1: margin exactly 0
        scores[i, j] = scores[i, y[i]] - 1.0
    scores[2] = scores[2, 0]                             # a row of ties: every margin is 1

    def one(case):
        n, k, seed, tied = case
        q.check("losses.svm_loss", scores_of(seed, (n, k), tied), np.random.default_rng(seed).integers(0, k, n),
                case=f"random ({n}, {k})")

    with q.part(4, "svm_loss: loss and dscores, margins exactly 0, a tied row, random inputs"):
        q.check("losses.svm_loss", scores, y, case="margins exactly 0 and a tied row")
        q.check_examples(CASES, one, max_examples=10)
