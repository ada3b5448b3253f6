"""2.7 Centering and standardisation (10 points).

Each function is one part (all its cases), worth its share (manifest ``shares``).
"""

import numpy as np

from autograder.authoring import array, dims, question, seeds, st

CASES = st.tuples(dims(1, 6), dims(1, 4), seeds())


def features(rng, n=6):
    """X (n, 3): features of very different means and scales (std about 1, 10 and 0.1)."""
    return rng.standard_normal((n, 3)) * np.array([1.0, 10.0, 0.1]) + rng.uniform(-5, 5, 3)


@question("2.7.1", points=3)
def test_center(q):
    """center: (Xc, mean)"""
    with q.part(3, "center: features of different scales, random inputs"):
        q.check("preprocess.center", features(q.rng))
        q.check_examples(CASES, lambda c: q.check("preprocess.center", array(c[:2], c[2]), case=f"random {c[:2]}"),
                         max_examples=8)


@question("2.7.2", points=4)
def test_standardize(q):
    """standardize: population std, a std below eps becomes 1"""
    X = features(q.rng)
    constant = X.copy()
    constant[:, 1] = q.rng.uniform(-5, 5)
    scaled = X / X.std(axis=0) * np.array([0.3, 2.0, 0.7])      # stds 0.3 (below eps), 2 and 0.7
    with q.part(4, "standardize: population std, a constant feature, eps given"):
        q.check("preprocess.standardize", X, case="features of different scales")
        q.check("preprocess.standardize", constant, case="a constant feature (std 0 → 1)")
        q.check("preprocess.standardize", scaled, eps=0.5, case="eps = 0.5: only the std below it becomes 1")


@question("2.7.3", points=3)
def test_standardize_with(q):
    """standardize_with: training statistics applied to new data"""
    X = features(q.rng)
    mean, std = X.mean(axis=0), X.std(axis=0)
    with q.part(3, "standardize_with: new data, one sample"):
        q.check("preprocess.standardize_with", features(q.rng, 4), mean, std, case="new data (4, 3)")
        q.check("preprocess.standardize_with", X[:1], mean, std, case="one sample (1, 3)")
