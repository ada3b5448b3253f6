"""The shipped digits file equals scikit-learn's, and the split is a fixed 80/20 partition."""

import numpy as np
from autograder.data import load_digits_split


def test_split_is_a_partition_of_sklearn_digits():
    from sklearn.datasets import load_digits

    digits = load_digits()
    Xtr, ytr, Xte, yte = load_digits_split(scale=False)
    assert Xtr.shape == (1438, 64) and Xte.shape == (359, 64)
    X = np.concatenate([Xtr, Xte])
    y = np.concatenate([ytr, yte])
    # same multiset of (image, label) rows as scikit-learn's
    ours = sorted(map(tuple, np.column_stack([X, y]).astype(int)))
    theirs = sorted(map(tuple, np.column_stack([digits.data, digits.target]).astype(int)))
    assert ours == theirs


def test_scaled_pixels_in_unit_interval():
    Xtr, _, Xte, _ = load_digits_split()
    assert Xtr.dtype == np.float64 and Xte.dtype == np.float64
    assert Xtr.min() == 0.0 and Xtr.max() == 1.0
    levels = np.unique(np.concatenate([Xtr, Xte]) * 16)
    assert np.array_equal(levels, np.round(levels)) and levels.max() <= 16
