"""2.8 PCA, whitening and ZCA (10 points).

Each principal component's sign is free: the student's components are
aligned with the reference's row by row (and Z's columns with them) before
comparing, so both signs get full marks.
"""

import numpy as np

from autograder.grading.checks import CheckFailed, check_array, check_value
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(28)
# distinct variances along random directions: the components are unique up to sign
X = (RNG.standard_normal((40, 4)) * np.array([3.0, 2.0, 1.0, 0.5])) @ np.linalg.qr(RNG.standard_normal((4, 4)))[0] + 1.5


def _signs(got: np.ndarray, want: np.ndarray, axis: int) -> np.ndarray:
    """±1 per row (axis=1) or column (axis=0) that best aligns ``got`` with ``want``."""
    return np.where(np.sum(got * want, axis=axis) < 0, -1.0, 1.0)


class TestPCA(GradedTest):
    def _pca(self, k):
        Z, comps, var = self.expected("preprocess.pca", X, k)
        got = self.call_or_fail("preprocess.pca", X, k)
        if type(got) not in (tuple, list) or len(got) != 3:
            raise CheckFailed("pca must return (Z, components, variances)")
        gz, gc, gv = got
        for value, want, name in ((gz, Z, "Z"), (gc, comps, "components"), (gv, var, "variances")):
            if type(value) is not np.ndarray or value.shape != want.shape:
                raise CheckFailed(check_array(value, want, name) or f"{name}: wrong shape")
        signs = _signs(gc, comps, axis=1)
        for reason in (check_array(gc * signs[:, None], comps, "components (up to sign)", rtol=1e-5, atol=1e-7),
                       check_array(gz * signs[None, :], Z, "Z (up to the components' signs)", rtol=1e-5, atol=1e-7),
                       check_array(gv, var, "variances", rtol=1e-5, atol=1e-7)):
            if reason:
                raise CheckFailed(reason)

    @partial_credit(5)
    @number("2.8.1")
    def test_pca(self, set_score=None):
        """2.8 pca: components up to sign, projections, variances (1/N)"""
        s = self.scorer(set_score)
        s.part(3, "k = 2 of d = 4", lambda: self._pca(2))
        s.part(2, "k = d", lambda: self._pca(4))
        s.finish()

    @partial_credit(3)
    @number("2.8.2")
    def test_whiten(self, set_score=None):
        """2.8 whiten: PCA whitening (columns up to sign), covariance ≈ I"""
        s = self.scorer(set_score)

        s.part(2, "whiten", lambda: check_sign_free(self, X, 1e-5))
        s.part(1, "eps = 0.1", lambda: check_sign_free(self, X[:, :2], 0.1))
        s.finish()

    @partial_credit(2)
    @number("2.8.3")
    def test_zca(self, set_score=None):
        """2.8 zca_whiten: unique (no sign freedom)"""
        s = self.scorer(set_score)
        s.part(2, "zca_whiten", lambda: self.compare("preprocess.zca_whiten", X, rtol=1e-5, atol=1e-7))
        s.finish()


def check_sign_free(test, data, eps):
    want = test.expected("preprocess.whiten", data, eps=eps)
    got = test.call_or_fail("preprocess.whiten", data, eps=eps)
    if type(got) is not np.ndarray or got.shape != want.shape:
        raise CheckFailed(check_value(got, want, "whitened X") or "wrong shape")
    reason = check_array(got * _signs(got, want, axis=0)[None, :], want, "whitened X (up to column signs)",
                         rtol=1e-5, atol=1e-7)
    if reason:
        raise CheckFailed(reason)
