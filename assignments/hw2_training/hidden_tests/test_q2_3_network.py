"""2.3 An L-layer ReLU network: parameters, forward pass, prediction (10 points)."""

import numpy as np

from autograder.grading.checks import CheckFailed
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(23)


def random_params(sizes, rng=RNG):
    params = {}
    for i in range(1, len(sizes)):
        params[f"W{i}"] = rng.standard_normal((sizes[i], sizes[i - 1])) * np.sqrt(2.0 / sizes[i - 1])
        params[f"b{i}"] = rng.standard_normal(sizes[i]) * 0.1   # non-zero biases
    return params


class TestNetwork(GradedTest):
    @partial_credit(4)
    @number("2.3.1")
    def test_init_params(self, set_score=None):
        """2.3 init_params: keys, shapes, He-scaled weights, zero biases, reproducible"""
        s = self.scorer(set_score)
        sizes = [200, 150, 10]
        got = {}

        def shapes():
            got["p"] = p = self.call_or_fail("network.init_params", sizes, seed=0)
            if type(p) is not dict or set(p) != {"W1", "b1", "W2", "b2"}:
                raise CheckFailed(f"expected a dict with keys W1, b1, W2, b2, got {sorted(p) if type(p) is dict else type(p).__name__}")
            for key, shape in (("W1", (150, 200)), ("b1", (150,)), ("W2", (10, 150)), ("b2", (10,))):
                v = p[key]
                if type(v) is not np.ndarray or v.shape != shape or v.dtype != np.float64:
                    raise CheckFailed(f"{key}: expected a float64 array of shape {shape}, got "
                                      f"{getattr(v, 'shape', type(v).__name__)} {getattr(v, 'dtype', '')}")

        def he_scale():
            p = got.get("p") or {}
            for key, fan_in in (("W1", 200), ("W2", 150)):
                std = float(np.std(p[key]))
                want = np.sqrt(2.0 / fan_in)
                if not 0.85 * want <= std <= 1.15 * want or abs(float(np.mean(p[key]))) > 0.2 * want:
                    raise CheckFailed(f"{key}: std {std:.4g}, expected about sqrt(2 / fan_in) = {want:.4g} (He), mean about 0")
            for key in ("b1", "b2"):
                if np.any(p[key] != 0):
                    raise CheckFailed(f"{key}: biases must start at zero")

        def reproducible():
            again = self.call_or_fail("network.init_params", sizes, seed=0)
            if not all(np.array_equal(again[k], got["p"][k]) for k in got["p"]):
                raise CheckFailed("the same seed must give the same parameters")
            other = self.call_or_fail("network.init_params", sizes, seed=1)
            if np.array_equal(other["W1"], got["p"]["W1"]):
                raise CheckFailed("a different seed gave identical weights")

        if s.part(2, "keys, shapes, float64", shapes):
            s.part(1, "He scale (std ≈ sqrt(2/fan_in)) and zero biases", he_scale)
            s.part(1, "same seed, same parameters; other seed, other parameters", reproducible)
        else:
            s.lose(2, "He scale and reproducibility", "not checked: the shapes are wrong")
        s.finish()

    @partial_credit(4)
    @number("2.3.2")
    def test_forward(self, set_score=None):
        """2.3 forward: one, two and three layers, ReLU between layers only"""
        s = self.scorer(set_score)
        for sizes in ([4, 3], [4, 5, 3], [3, 6, 4, 2]):
            X = RNG.standard_normal((5, sizes[0]))
            p = random_params(sizes)
            s.part(1 if len(sizes) < 4 else 2, f"layer sizes {sizes}", lambda p=p, X=X: self.compare("network.forward", p, X))
        s.finish()

    @partial_credit(2)
    @number("2.3.3")
    def test_predict(self, set_score=None):
        """2.3 predict: integer labels, the argmax of the scores"""
        s = self.scorer(set_score)
        p = random_params([4, 6, 3])
        X = RNG.standard_normal((8, 4))
        s.part(1, "labels of 8 samples", lambda: self.compare("network.predict", p, X))
        s.finish()
