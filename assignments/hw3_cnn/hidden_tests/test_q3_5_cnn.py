"""3.5 A small CNN: forward, loss and gradients (20 points)."""

import numpy as np

from autograder.grading.checks import CheckFailed, check_scalar
from autograder.grading.client import StudentCallFailed
from autograder.grading.graded import GradedTest, number, partial_credit

RNG = np.random.default_rng(35)


def params_for(C, H, W, F, k, classes):
    return {"W1": RNG.standard_normal((F, C, k, k)) * 0.5, "b1": RNG.standard_normal(F) * 0.2,
            "W2": RNG.standard_normal((classes, F * (H // 2) * (W // 2))) * 0.3, "b2": RNG.standard_normal(classes) * 0.2}


class TestCNN(GradedTest):
    @partial_credit(5)
    @number("3.5.1")
    def test_init_cnn(self, set_score=None):
        """3.5 init_cnn: keys, shapes, He scale, zero biases"""
        s = self.scorer(set_score)
        got = {}
        shapes = {"W1": (16, 3, 5, 5), "b1": (16,), "W2": (10, 16 * 4 * 4), "b2": (10,)}

        def check_shapes():
            got["p"] = p = self.call_or_fail("conv.init_cnn", (3, 8, 8), 16, 5, 10, seed=0)
            if type(p) is not dict or set(p) != set(shapes):
                raise CheckFailed(f"expected a dict with keys {sorted(shapes)}")
            for key, shape in shapes.items():
                if type(p[key]) is not np.ndarray or p[key].shape != shape or p[key].dtype != np.float64:
                    raise CheckFailed(f"{key}: expected a float64 array of shape {shape}")

        def he():
            p = got["p"]
            for key, fan_in in (("W1", 3 * 25), ("W2", 256)):
                std, want = float(np.std(p[key])), np.sqrt(2.0 / fan_in)
                if not 0.85 * want <= std <= 1.15 * want:
                    raise CheckFailed(f"{key}: std {std:.4g}, expected about sqrt(2 / fan_in) = {want:.4g}")
            if np.any(p["b1"] != 0) or np.any(p["b2"] != 0):
                raise CheckFailed("biases must start at zero")

        if s.part(3, "keys, shapes, float64", check_shapes):
            s.part(2, "He scale and zero biases", he)
        else:
            s.lose(2, "He scale and zero biases", "not checked: the shapes are wrong")
        s.finish()

    @partial_credit(5)
    @number("3.5.2")
    def test_forward(self, set_score=None):
        """3.5 cnn_forward: conv (same padding) – ReLU – 2×2 pool – linear"""
        s = self.scorer(set_score)
        p = params_for(2, 4, 6, 3, 3, 4)
        s.part(3, "C = 2, 4×6 images, 3 filters 3×3", lambda: self.compare("conv.cnn_forward", p, RNG.standard_normal((3, 2, 4, 6))))
        p1 = params_for(1, 4, 4, 2, 1, 3)
        s.part(2, "1×1 filters", lambda: self.compare("conv.cnn_forward", p1, RNG.standard_normal((2, 1, 4, 4))))
        s.finish()

    @partial_credit(10)
    @number("3.5.3")
    def test_loss_and_grads(self, set_score=None):
        """3.5 cnn_loss_and_grads: loss and W1, b1, W2, b2 (reg > 0, non-zero biases)"""
        s = self.scorer(set_score)
        p = params_for(2, 4, 4, 3, 3, 3)
        X = RNG.standard_normal((4, 2, 4, 4))
        y = np.array([0, 2, 1, 2])
        loss, grads = self.expected("conv.cnn_loss_and_grads", p, X, y, reg=0.05)
        try:
            got = self.student("conv.cnn_loss_and_grads", p, X, y, reg=0.05)
        except StudentCallFailed as exc:
            s.lose(10, "cnn_loss_and_grads", exc.reason)
            s.finish()
            return
        if type(got) not in (tuple, list) or len(got) != 2:
            s.lose(10, "cnn_loss_and_grads", "expected (loss, grads)")
            s.finish()
            return

        def loss_ok():
            reason = check_scalar(got[0], loss, "loss")
            if reason:
                raise CheckFailed(reason)

        s.part(2, "loss", loss_ok)
        s.dict_gradients(2, "grads", got[1], grads, batch=4)
        s.finish()
