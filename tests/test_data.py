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


def test_grading_split_is_a_secret_partition_with_renamed_classes():
    from autograder.data import grading_split

    Xtr, ytr, Xte, yte = grading_split(np.random.default_rng(1))
    assert Xtr.shape == (1438, 64) and Xte.shape == (359, 64) and ytr.dtype == np.int64
    public = load_digits_split()
    # every image exactly once, none in the public train/test split's rows or order
    def rows(X):
        return sorted(map(tuple, (X * 16).astype(int)))

    assert rows(np.concatenate([Xtr, Xte])) == rows(np.concatenate([public[0], public[2]]))
    assert not np.array_equal(Xte, public[2]) and rows(Xte) != rows(public[2])
    # the classes are renamed by one permutation: the same image keeps one (new) name
    def image(x):
        return tuple((x * 16).astype(int))

    key = {image(x): int(label) for x, label in zip(public[0], public[1])}
    mapping = {key[image(x)]: int(label) for x, label in zip(Xtr, ytr) if image(x) in key}
    assert sorted(mapping) == list(range(10)) and sorted(mapping.values()) == list(range(10))
    assert any(k != v for k, v in mapping.items())
    again = grading_split(np.random.default_rng(1))
    other = grading_split(np.random.default_rng(2))
    assert np.array_equal(again[0], Xtr) and not np.array_equal(other[0], Xtr)
