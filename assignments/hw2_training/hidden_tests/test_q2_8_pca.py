"""2.8 PCA, whitening and ZCA (10 points).

Each principal component's sign is free: the student's components are
aligned with the reference's row by row (and Z's columns with them) before
comparing, so both signs get full marks. The data has distinct variances
along random directions (the components are unique up to sign), one of them
tiny (1e-5, like eps), where the placement of eps in whitening shows.
"""

import numpy as np

from autograder.authoring import CheckFailed, question
from autograder.grading.checks import check_array, describe

TOL = dict(rtol=1e-5, atol=1e-7)


def data(rng, stds, n=40):
    """X (n, d) with standard deviations ``stds`` along random orthogonal directions, mean ≠ 0."""
    rotation = np.linalg.qr(rng.standard_normal((len(stds), len(stds))))[0]
    z = rng.standard_normal((n, len(stds)))
    z = (z - z.mean(axis=0)) / z.std(axis=0)
    return (z * np.asarray(stds)) @ rotation + rng.uniform(-2, 2, len(stds))


def signs(got, want, axis):
    """±1 per row (axis=1) or column (axis=0) that best aligns ``got`` with ``want``."""
    return np.where(np.sum(got * want, axis=axis) < 0, -1.0, 1.0)


def fail_if(*reasons):
    """CheckFailed with the first reason that is not None."""
    reason = next((r for r in reasons if r), None)
    if reason:
        raise CheckFailed(reason)


def check_pca(q, X, k):
    """A check: ``pca(X, k)`` = (Z, components, variances), components and Z's columns up to sign."""
    Z, comps, var = q.expected("preprocess.pca", X, k)
    got = q.call("preprocess.pca", X, k)
    if type(got) not in (tuple, list) or len(got) != 3:
        raise CheckFailed(f"pca must return (Z, components, variances), got {describe(got)}")
    fail_if(*(check_array(v, w, name) if type(v) is not np.ndarray or v.shape != w.shape else None
              for v, w, name in zip(got, (Z, comps, var), ("Z", "components", "variances"))))
    s = signs(got[1], comps, axis=1)
    fail_if(check_array(got[1] * s[:, None], comps, "components (up to sign)", **TOL),
            check_array(got[0] * s[None, :], Z, "Z (up to the components' signs)", **TOL),
            check_array(got[2], var, "variances", **TOL))


def check_whiten(q, X, case=None, **kwargs):
    """A check: ``whiten(X, **kwargs)``, its columns up to sign (``case`` named in the message)."""
    want = q.expected("preprocess.whiten", X, **kwargs)
    got = q.call("preprocess.whiten", X, **kwargs)
    if type(got) is not np.ndarray or got.shape != want.shape:
        fail_if(check_array(got, want, "whitened X"))
    reason = check_array(got * signs(got, want, axis=0)[None, :], want, "whitened X (up to column signs)", **TOL)
    fail_if(reason and f"{reason} ({case})" if case else reason)


@question("2.8.1", points=5)
def test_pca(q):
    """pca: components up to sign, projections, variances (1/N)"""
    X = data(q.rng, [3.0, 2.0, 1.0, 0.5])
    with q.part(5, "pca: k = 2 and k = d = 4"):
        check_pca(q, X, 2)
        check_pca(q, X, 4)


@question("2.8.2", points=3)
def test_whiten(q):
    """whiten: PCA whitening (columns up to sign), eps added to λ inside the root"""
    with q.part(3, "whiten: variances 9, 4, 1; a variance of 1e-5 (≈ eps); eps = 0.1"):
        check_whiten(q, data(q.rng, [3.0, 2.0, 1.0]))
        check_whiten(q, data(q.rng, [2.0, 1.0, 10 ** -2.5]), case="a direction of variance 1e-5: 1 / sqrt(λ + eps)")
        check_whiten(q, data(q.rng, [1.0, 0.3]), eps=0.1, case="eps = 0.1, variances near it")


@question("2.8.3", points=2)
def test_zca(q):
    """zca_whiten: unique (no sign freedom), eps inside the root"""
    with q.part(2, "zca_whiten: variances 9, 4, 1, 0.25; a variance of 1e-5 (≈ eps)"):
        q.check("preprocess.zca_whiten", data(q.rng, [3.0, 2.0, 1.0, 0.5]), **TOL)
        q.check("preprocess.zca_whiten", data(q.rng, [2.0, 1.0, 10 ** -2.5]), **TOL,
                case="a direction of variance 1e-5 (≈ eps)")
