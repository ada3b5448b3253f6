"""Public tests of nnkit/network.py. The network uses the carried modules (layers and
activations from hw1): a test says so when it fails because one is still a stub."""

import numpy as np

from nnkit.network import forward, init_params, loss_and_grads, predict
from nnkit_check.gradcheck import numeric_gradient, rel_error
from stubcheck import needs

CARRIED = ("activations", "layers")
TOL = 1e-5


def test_init_params_keys_shapes_and_zero_biases():
    params = init_params([4, 5, 3], seed=0)
    assert set(params) == {"W1", "b1", "W2", "b2"}
    assert params["W1"].shape == (5, 4) and params["W2"].shape == (3, 5), "Wl has shape (layer_sizes[l], layer_sizes[l-1])"
    assert params["b1"].shape == (5,) and params["b2"].shape == (3,)
    assert not np.any(params["b1"]) and not np.any(params["b2"]), "biases start at zero"


def test_init_params_is_he_scaled_and_seeded():
    W = init_params([400, 300], seed=1)["W1"]
    std = W.std()
    assert abs(std - np.sqrt(2 / 400)) < 0.1 * np.sqrt(2 / 400), f"He scaling: std should be sqrt(2/fan_in) = {np.sqrt(2 / 400):.4f}, got {std:.4f}"
    np.testing.assert_array_equal(init_params([3, 2], seed=5)["W1"], init_params([3, 2], seed=5)["W1"],
                                  err_msg="the same seed must give the same parameters")
    assert not np.array_equal(init_params([3, 2], seed=5)["W1"], init_params([3, 2], seed=6)["W1"])


def test_forward_by_hand():
    params = {"W1": np.array([[1.0, 0.0], [0.0, -1.0]]), "b1": np.array([0.0, 0.5]),
              "W2": np.array([[1.0, 1.0]]), "b2": np.array([-1.0])}
    X = np.array([[2.0, 3.0]])
    # hidden = relu((2, −3 + 0.5)) = (2, 0); scores = 2 + 0 − 1 = 1 (no ReLU at the end)
    with needs(*CARRIED):
        scores = forward(params, X)
    np.testing.assert_allclose(scores, [[1.0]])
    with needs(*CARRIED):
        labels = predict({"W1": np.eye(3), "b1": np.zeros(3)}, np.array([[0.0, 5.0, 1.0], [-2.0, -3.0, -1.0]]))
    np.testing.assert_array_equal(labels, [1, 2])


def test_loss_and_grads_match_numeric_gradients():
    rng = np.random.default_rng(2)
    params = init_params([3, 4, 3], seed=3)
    params["b1"] = rng.uniform(0.1, 0.5, size=4)  # keeps hidden units away from ReLU's kink
    X, y = rng.standard_normal((5, 3)), np.array([0, 1, 2, 1, 0])
    with needs(*CARRIED):
        loss, grads = loss_and_grads(params, X, y, reg=0.1)
    assert set(grads) == set(params), "grads has the keys of params"
    for key in params:
        def f(value, key=key):
            return loss_and_grads({**params, key: value}, X, y, reg=0.1)[0]
        err = rel_error(grads[key], numeric_gradient(f, params[key]))
        assert err < TOL, f"grads[{key!r}] disagrees with the numeric gradient (relative error {err:.2e})"


def test_loss_adds_regularisation_of_weights_only():
    params = init_params([3, 2], seed=0)
    X, y = np.ones((2, 3)), np.array([0, 1])
    with needs(*CARRIED):
        plain, _ = loss_and_grads(params, X, y, reg=0.0)
        regularised, _ = loss_and_grads(params, X, y, reg=0.5)
        params["b1"] = np.array([3.0, -3.0])
        shifted = loss_and_grads(params, X, y, reg=0.5)[0] - loss_and_grads(params, X, y, reg=0.0)[0]
    np.testing.assert_allclose(regularised - plain, 0.5 * np.sum(params["W1"] ** 2))
    np.testing.assert_allclose(shifted, 0.5 * np.sum(params["W1"] ** 2), err_msg="biases are not regularised")
