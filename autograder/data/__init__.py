"""Data sets shipped with nnkit (nothing is downloaded at run time).

``digits.npz`` is scikit-learn's 8×8 handwritten digits (1797 images, pixel
values 0–16, labels 0–9; from the UCI ML repository, as shipped by
``sklearn.datasets.load_digits``), with a fixed 80/20 train/test split. It is
stored here so that the Gradescope image and the student release need no
scikit-learn; ``tests/test_data.py`` checks it still equals scikit-learn's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DIGITS_PATH = Path(__file__).with_name("digits.npz")


def load_digits_split(scale: bool = True):
    """The digits data set with nnkit's fixed 80/20 split.

    Inputs:
    - scale: if True, pixels are divided by 16 so that they lie in [0, 1].

    Returns ``(X_train, y_train, X_test, y_test)``:
    - X_train: float64 (1438, 64); X_test: float64 (359, 64), one row per
      image, pixels in row-major order (reshape to (N, 1, 8, 8) for a CNN);
    - y_train, y_test: int64 labels in 0..9.
    """
    with np.load(DIGITS_PATH, allow_pickle=False) as data:
        X = data["images"].astype(np.float64)
        y = data["labels"].astype(np.int64)
        train, test = data["train_idx"], data["test_idx"]
    if scale:
        X /= 16.0
    return X[train], y[train], X[test], y[test]


def permute_labels(seed: int, *labels: np.ndarray, num_classes: int = 10) -> list[np.ndarray]:
    """The same label arrays with the classes renamed by one permutation drawn from ``seed``.

    Training from scratch does not care what the classes are called, but
    parameters trained elsewhere on the real labels (the digits are public)
    predict the wrong names: the grader trains on renamed labels with a seed
    only the hidden tests know.

    Inputs:
    - seed: int, the permutation's seed.
    - labels: integer arrays with values in 0..num_classes-1, any shapes.

    Returns: a list of int64 arrays shaped like ``labels``.
    """
    perm = np.random.default_rng(seed).permutation(num_classes)
    return [perm[np.asarray(y)] for y in labels]


def grading_split(rng: np.random.Generator, test_size: int = 359, num_classes: int = 10):
    """A split of all 1797 digits that only this run knows, for grading a training question.

    The public split, the public row order and the public label names are all
    in the student release (``digits.npz``); here each is drawn from ``rng``
    (seed it from the submission and a grader-side label, e.g. ``q.rng``):
    the rows are shuffled, the last ``test_size`` become the held-out set, and
    the classes are renamed by one permutation. So parameters trained offline
    on the public labels predict the wrong names, and zipping the public
    labels against the training labels recovers nothing.

    Inputs: ``rng`` a numpy Generator; ``test_size`` rows held out (359, as
    the public split); ``num_classes`` 10.
    Returns ``(X_train, y_train, X_test, y_test)``: float64 ``(1797 - test_size, 64)``
    and ``(test_size, 64)`` pixels in [0, 1]; int64 labels in 0..9 (renamed).
    """
    X_train, y_train, X_test, y_test = load_digits_split()
    X, y = np.concatenate([X_train, X_test]), np.concatenate([y_train, y_test])
    order = rng.permutation(len(X))
    names = rng.permutation(num_classes)
    X, y = X[order], names[y[order]]
    cut = len(X) - int(test_size)
    return X[:cut], y[:cut], X[cut:], y[cut:]
