"""Reference L-layer ReLU network: initialisation, forward pass, backprop gradients, prediction."""

import numpy as np
import pytest

from autograder.gradcheck import numeric_gradient, rel_error
from nnkit.network import forward, init_params, loss_and_grads, predict
from test_ref_common import call_unmodified

RNG = np.random.default_rng(3)


def random_params(sizes, seed=0):
    """Parameters with non-zero biases (init_params' zero biases would hide bias bugs)."""
    params = init_params(sizes, seed=seed)
    rng = np.random.default_rng(seed + 100)
    return {k: v + 0.3 * rng.normal(size=v.shape) if k.startswith("b") else v for k, v in params.items()}


def test_init_params_shapes_and_zero_biases():
    params = init_params([5, 7, 6, 4], seed=1)
    assert sorted(params) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert params["W1"].shape == (7, 5) and params["W2"].shape == (6, 7) and params["W3"].shape == (4, 6)
    assert params["b1"].shape == (7,) and params["b3"].shape == (4,)
    assert all(v.dtype == np.float64 for v in params.values())
    assert all(np.all(params[f"b{l}"] == 0) for l in (1, 2, 3))


def test_init_params_he_scale_and_seed():
    # He: std of Wl = sqrt(2 / fan_in); 400 × 200 entries estimate it to within ~1 %
    params = init_params([200, 400, 50], seed=0)
    assert params["W1"].std() == pytest.approx(np.sqrt(2 / 200), rel=0.03)
    assert params["W2"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.03)
    assert abs(params["W1"].mean()) < 0.01 * np.sqrt(2 / 200) * 10
    again = init_params([200, 400, 50], seed=0)
    other = init_params([200, 400, 50], seed=1)
    np.testing.assert_array_equal(params["W1"], again["W1"])
    assert not np.allclose(params["W1"], other["W1"])


@pytest.mark.parametrize("sizes", [[5], [], [5, 0, 3], [5, 2.5, 3]])
def test_init_params_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match="layer_sizes"):
        init_params(sizes)


def test_forward_matches_explicit_formula():
    params = random_params([5, 7, 6, 4])
    X = RNG.normal(size=(8, 5))
    h1 = np.maximum(0, X @ params["W1"].T + params["b1"])
    h2 = np.maximum(0, h1 @ params["W2"].T + params["b2"])
    expected = h2 @ params["W3"].T + params["b3"]
    scores = call_unmodified(forward, params, X)
    assert scores.shape == (8, 4)
    np.testing.assert_allclose(scores, expected, atol=1e-12)
    # no ReLU after the last layer: some scores are negative
    assert np.any(scores < 0)


def test_single_layer_network_is_softmax_regression():
    params = random_params([5, 3])
    X = RNG.normal(size=(4, 5))
    np.testing.assert_allclose(forward(params, X), X @ params["W1"].T + params["b1"])


@pytest.mark.parametrize("reg", [0.0, 0.1])
def test_loss_and_grads_match_numeric_for_every_key(reg):
    sizes = [5, 7, 6, 4]  # a 3-layer network
    params = random_params(sizes, seed=2)
    X = RNG.normal(size=(8, 5))
    y = RNG.integers(0, 4, size=8)
    loss, grads = loss_and_grads(params, X, y, reg=reg)
    assert isinstance(loss, float)
    assert set(grads) == set(params)
    for key in params:

        def loss_of(value, key=key):
            return loss_and_grads({**params, key: value}, X, y, reg=reg)[0]

        # h = 1e-5: tiny gradient entries (~1e-6) drown in round-off with a smaller step
        numeric = numeric_gradient(loss_of, params[key], h=1e-5)
        assert grads[key].shape == params[key].shape
        err = rel_error(grads[key], numeric)
        assert err < 1e-5, f"{key}: rel_error {err:.2e} (reg={reg})"


def test_regularisation_adds_weights_only():
    # loss(reg) = loss(0) + reg Σ_l ||Wl||²; biases are not regularised
    params = random_params([5, 7, 4], seed=4)
    X, y = RNG.normal(size=(6, 5)), RNG.integers(0, 4, size=6)
    loss0, grads0 = loss_and_grads(params, X, y)
    loss1, grads1 = loss_and_grads(params, X, y, reg=0.25)
    penalty = 0.25 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    assert loss1 == pytest.approx(loss0 + penalty)
    np.testing.assert_allclose(grads1["W1"], grads0["W1"] + 0.5 * params["W1"])
    np.testing.assert_allclose(grads1["b1"], grads0["b1"])
    np.testing.assert_allclose(grads1["b2"], grads0["b2"])


def test_loss_at_init_is_about_log_num_classes():
    # small random scores: softmax ≈ uniform, loss ≈ ln C
    params = init_params([64, 32, 10], seed=0)
    params = {k: v * 0.01 for k, v in params.items()}
    X, y = RNG.uniform(size=(50, 64)), RNG.integers(0, 10, size=50)
    assert loss_and_grads(params, X, y)[0] == pytest.approx(np.log(10), abs=0.01)


def test_loss_and_grads_do_not_modify_inputs():
    params = random_params([5, 7, 4])
    copies = {k: v.copy() for k, v in params.items()}
    X, y = RNG.normal(size=(6, 5)), RNG.integers(0, 4, size=6)
    call_unmodified(loss_and_grads, params, X, y, 0.1)
    for k in params:
        np.testing.assert_array_equal(params[k], copies[k])


def test_predict_is_argmax_of_scores():
    params = random_params([5, 7, 4])
    X = RNG.normal(size=(20, 5))
    labels = predict(params, X)
    assert labels.shape == (20,) and np.issubdtype(labels.dtype, np.integer)
    np.testing.assert_array_equal(labels, np.argmax(forward(params, X), axis=1))


def test_bad_input_raises_value_error():
    params = random_params([5, 7, 4])
    X = RNG.normal(size=(6, 5))
    with pytest.raises(ValueError, match=r"W1, b1, \.\.\., WL, bL"):
        forward({k: v for k, v in params.items() if k != "b2"}, X)
    with pytest.raises(ValueError, match=r"\[0, 4\)"):
        loss_and_grads(params, X, np.array([0, 1, 2, 3, 4, 0]))
    with pytest.raises(ValueError):
        forward(params, RNG.normal(size=(6, 4)))  # wrong feature count, caught by linear_forward
