"""2.8 PCA, whitening and ZCA (10 points).

Each principal component's sign is free: the student's components are
aligned with the reference's row by row (and Z's columns with them) before
comparing, so both signs get full marks. The data has distinct variances
along random directions (the components are unique up to sign), one of them
tiny (1e-5, like eps), where the placement of eps in whitening shows.
"""

import numpy as np

from autograder.authoring import question
from autograder.grading.checks import check_array, describe

TOL = dict(rtol=1e-5, atol=1e-7)
# the reference functions each builds on, graded in their own parts: an answer equal to the reference's
# built on the student's own versions of them is right (a wrong center costs in 2.7 only, a wrong pca
# in 2.8.1 only)
BUILT_ON = {"preprocess.pca": ("preprocess.center",), "preprocess.whiten": ("preprocess.center", "preprocess.pca"),
            "preprocess.zca_whiten": ("preprocess.center", "preprocess.pca")}


def data(rng, stds, n=40):
    """X (n, d) with standard deviations ``stds`` along random orthogonal directions, mean ≠ 0."""
    rotation = np.linalg.qr(rng.standard_normal((len(stds), len(stds))))[0]
    z = rng.standard_normal((n, len(stds)))
    z = (z - z.mean(axis=0)) / z.std(axis=0)
    return (z * np.asarray(stds)) @ rotation + rng.uniform(-2, 2, len(stds))


def signs(got, want, axis):
    """±1 per row (axis=1) or column (axis=0) that best aligns ``got`` with ``want``."""
    return np.where(np.sum(got * want, axis=axis) < 0, -1.0, 1.0)


def check_against(q, target, reason_of, *args, case=None, **kwargs):
    """A check: ``reason_of(got, want)`` is None for the reference's answer or the one built on the
    student's ``BUILT_ON[target]``; CheckFailed with the reason against the reference's own answer."""
    q.check(target, *args, case=case, built_on=BUILT_ON[target], reason_of=reason_of, **kwargs)


def pca_reason(got, want):
    """Why ``got`` is not the PCA ``want`` = (Z, components, variances), components and Z's columns
    up to sign; None if it is."""
    if type(got) not in (tuple, list) or len(got) != 3:
        return f"pca must return (Z, components, variances), got {describe(got)}"
    for v, w, name in zip(got, want, ("Z", "components", "variances")):
        if type(v) is not np.ndarray or v.shape != w.shape:
            return check_array(v, w, name)
    s = signs(got[1], want[1], axis=1)
    return (check_array(got[1] * s[:, None], want[1], "components (up to sign)", **TOL)
            or check_array(got[0] * s[None, :], want[0], "Z (up to the components' signs)", **TOL)
            or check_array(got[2], want[2], "variances", **TOL))


def whiten_reason(got, want):
    """Why ``got`` is not the whitened ``want``, columns up to sign; None if it is."""
    if type(got) is not np.ndarray or got.shape != want.shape:
        return check_array(got, want, "whitened X")
    return check_array(got * signs(got, want, axis=0)[None, :], want, "whitened X (up to column signs)", **TOL)


def zca_reason(got, want):
    """Why ``got`` is not the ZCA-whitened ``want`` (unique: no sign freedom); None if it is."""
    return check_array(got, want, "ZCA-whitened X", **TOL)


@question("2.8.1", points=5)
def test_pca(q):
    """pca: components up to sign, projections, variances (1/N)"""
    X = data(q.rng, [3.0, 2.0, 1.0, 0.5])
    with q.part(5, "pca: k = 2 and k = d = 4"):
        check_against(q, "preprocess.pca", pca_reason, X, 2, case="k = 2")
        check_against(q, "preprocess.pca", pca_reason, X, 4, case="k = d = 4")


@question("2.8.2", points=3)
def test_whiten(q):
    """whiten: PCA whitening (columns up to sign), eps added to λ inside the root"""
    with q.part(3, "whiten: variances 9, 4, 1; a variance of 1e-5 (≈ eps); eps = 0.1"):
        check_against(q, "preprocess.whiten", whiten_reason, data(q.rng, [3.0, 2.0, 1.0]), case="variances 9, 4, 1")
        check_against(q, "preprocess.whiten", whiten_reason, data(q.rng, [2.0, 1.0, 10 ** -2.5]),
                      case="a direction of variance 1e-5: 1 / sqrt(λ + eps)")
        check_against(q, "preprocess.whiten", whiten_reason, data(q.rng, [1.0, 0.3]), eps=0.1,
                      case="eps = 0.1, variances near it")


@question("2.8.3", points=2)
def test_zca(q):
    """zca_whiten: unique (no sign freedom), eps inside the root"""
    with q.part(2, "zca_whiten: variances 9, 4, 1, 0.25; a variance of 1e-5 (≈ eps)"):
        check_against(q, "preprocess.zca_whiten", zca_reason, data(q.rng, [3.0, 2.0, 1.0, 0.5]),
                      case="variances 9, 4, 1, 0.25")
        check_against(q, "preprocess.zca_whiten", zca_reason, data(q.rng, [2.0, 1.0, 10 ** -2.5]),
                      case="a direction of variance 1e-5 (≈ eps)")
