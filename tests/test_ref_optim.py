"""Reference optimisers: one step of each rule by hand, minibatches, and the ``train`` loop."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnkit.optim import (
    OPTIMIZER_DEFAULTS,
    adam_step,
    gd_step,
    minibatch_indices,
    momentum_step,
    nesterov_step,
    rmsprop_step,
    train,
)

W = np.array([1.0, -2.0, 0.5])
DW = np.array([0.5, -1.0, 0.0])

# --- one step of each rule, computed by hand ----------------------------------


def test_gd_step_subtracts():
    # w - 0.1 dw = [1 - 0.05, -2 + 0.1, 0.5]
    np.testing.assert_allclose(gd_step(W, DW, 0.1), [0.95, -1.9, 0.5])


def test_momentum_step_lecture_form():
    # W(j+1) = W(j) - η ∇L + γ (W(j) - W(j-1)), η = 0.1, γ = 0.5, W(j-1) = [0, -2, 1]
    # = [1 - 0.05 + 0.5, -2 + 0.1 + 0, 0.5 - 0 - 0.25]
    w_prev = np.array([0.0, -2.0, 1.0])
    np.testing.assert_allclose(momentum_step(W, w_prev, DW, 0.1, 0.5), [1.45, -1.9, 0.25])


def test_momentum_first_step_is_a_gd_step():
    np.testing.assert_allclose(momentum_step(W, W, DW, 0.1, 0.9), gd_step(W, DW, 0.1))


def test_nesterov_step_cs231n_form():
    # v' = μ v - η dw;  w' = w - μ v + (1 + μ) v'    (μ = 0.5, η = 0.1, v = [0.2, 0, -0.4])
    # v' = [0.1 - 0.05, 0 + 0.1, -0.2] = [0.05, 0.1, -0.2]
    # w' = [1 - 0.1 + 0.075, -2 + 0 + 0.15, 0.5 + 0.2 - 0.3] = [0.975, -1.85, 0.4]
    v = np.array([0.2, 0.0, -0.4])
    w_next, v_next = nesterov_step(W, DW, v, 0.1, 0.5)
    np.testing.assert_allclose(v_next, [0.05, 0.1, -0.2])
    np.testing.assert_allclose(w_next, [0.975, -1.85, 0.4])


def test_rmsprop_step_formula():
    # cache' = 0.9 · [1, 1, 1] + 0.1 · dw² = [0.925, 1.0, 0.9]; w' = w - η dw / (√cache' + eps)
    cache = np.ones(3)
    w_next, cache_next = rmsprop_step(W, DW, cache, 0.01, decay=0.9, eps=1e-3)
    np.testing.assert_allclose(cache_next, [0.925, 1.0, 0.9])
    expected = W - 0.01 * DW / (np.sqrt([0.925, 1.0, 0.9]) + 1e-3)
    np.testing.assert_allclose(w_next, expected)
    np.testing.assert_allclose(expected, [1.0 - 0.005 / (math.sqrt(0.925) + 1e-3), -2.0 + 0.01 / 1.001, 0.5])


def test_adam_first_step_moves_by_lr_times_sign():
    # t = 1, m = v = 0: m̂ = dw, v̂ = dw², so the step is η dw / (|dw| + eps) ≈ η sign(dw)
    zeros = np.zeros(3)
    w_next, m_next, v_next = adam_step(W, DW, zeros, zeros, 1, 0.01)
    np.testing.assert_allclose(m_next, 0.1 * DW)
    np.testing.assert_allclose(v_next, 0.001 * DW**2)
    np.testing.assert_allclose(w_next, W - 0.01 * np.sign(DW), rtol=0, atol=1e-9)


def test_adam_step_formula_with_nondefault_hyper():
    # t = 3, β1 = 0.5, β2 = 0.75: m' = 0.5 m + 0.5 dw, v' = 0.75 v + 0.25 dw²
    m, v = np.array([0.2, 0.2, 0.2]), np.array([0.04, 0.04, 0.04])
    w_next, m_next, v_next = adam_step(W, DW, m, v, 3, 0.1, beta1=0.5, beta2=0.75, eps=1e-4)
    np.testing.assert_allclose(m_next, [0.35, -0.4, 0.1])
    np.testing.assert_allclose(v_next, [0.0925, 0.28, 0.03])
    m_hat = np.array([0.35, -0.4, 0.1]) / (1 - 0.5**3)
    v_hat = np.array([0.0925, 0.28, 0.03]) / (1 - 0.75**3)
    np.testing.assert_allclose(w_next, W - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-4))


@pytest.mark.parametrize("t", [0, -1, 1.5, True])
def test_adam_rejects_bad_step_number(t):
    with pytest.raises(ValueError, match="1-based"):
        adam_step(W, DW, np.zeros(3), np.zeros(3), t, 0.1)


def test_steps_reject_mismatched_shapes():
    with pytest.raises(ValueError, match=r"w \(3,\).*dw \(2,\)"):
        gd_step(W, DW[:2], 0.1)
    with pytest.raises(ValueError, match="shape"):
        adam_step(W, DW, np.zeros(2), np.zeros(3), 1, 0.1)


STEP_CALLS = {
    "gd": lambda a, b, c, d: gd_step(a, b, 0.1),
    "momentum": lambda a, b, c, d: momentum_step(a, c, b, 0.1, 0.9),
    "nesterov": lambda a, b, c, d: nesterov_step(a, b, c, 0.1, 0.9),
    "rmsprop": lambda a, b, c, d: rmsprop_step(a, b, np.abs(c), 0.1),
    "adam": lambda a, b, c, d: adam_step(a, b, c, np.abs(d), 2, 0.1),
}


@pytest.mark.parametrize("name", sorted(STEP_CALLS))
def test_steps_do_not_modify_inputs(name):
    rng = np.random.default_rng(0)
    args = [rng.normal(size=(4, 3)) for _ in range(4)]
    copies = [a.copy() for a in args]
    STEP_CALLS[name](*args)
    for a, c in zip(args, copies):
        np.testing.assert_array_equal(a, c)


# --- minibatches --------------------------------------------------------------


@given(st.integers(1, 200), st.integers(1, 64), st.integers(0, 2**32 - 1))
def test_minibatches_partition_range(n, batch_size, seed):
    batches = minibatch_indices(n, batch_size, seed)
    assert len(batches) == math.ceil(n / batch_size)
    assert all(len(b) == batch_size for b in batches[:-1])
    assert len(batches[-1]) == (n % batch_size or min(n, batch_size))
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))


def test_minibatches_last_smaller_and_deterministic():
    batches = minibatch_indices(10, 4, seed=7)
    assert [len(b) for b in batches] == [4, 4, 2]
    again = minibatch_indices(10, 4, seed=7)
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))
    other = np.concatenate(minibatch_indices(1000, 4, seed=8))
    assert not np.array_equal(np.concatenate(minibatch_indices(1000, 4, seed=7)), other)
    assert not np.array_equal(other, np.arange(1000)), "batches must be shuffled"


@pytest.mark.parametrize("n,batch_size", [(0, 4), (10, 0), (10, -1), (10, 2.5)])
def test_minibatches_reject_bad_sizes(n, batch_size):
    with pytest.raises(ValueError, match="integer >= 1"):
        minibatch_indices(n, batch_size, 0)


# --- train ----------------------------------------------------------------------

# A least-squares problem small enough to replicate by hand:
# params {"w": (3,), "b": ()}; loss = mean_i (x_i · w + b - y_i)²
RNG = np.random.default_rng(42)
X = RNG.normal(size=(23, 3))
Y = X @ np.array([1.0, -2.0, 0.5]) + 0.3


def quadratic_loss(params, Xb, yb):
    residual = Xb @ params["w"] + params["b"] - yb
    n = len(yb)
    return float(np.mean(residual**2)), {"w": 2 * Xb.T @ residual / n, "b": np.array(2 * residual.sum() / n)}


def initial_params():
    return {"w": np.array([0.1, 0.2, -0.1]), "b": np.array(0.5)}


def replicate(optimizer, lr, batch_size, epochs, seed, hyper):
    """``train``'s documented contract, written out with the step functions."""
    h = {**OPTIMIZER_DEFAULTS[optimizer], **hyper}
    params = initial_params()
    state = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    prev = dict(params)
    losses, t = [], 0
    for epoch in range(epochs):
        batches = [np.arange(len(X))] if optimizer == "gd" else minibatch_indices(len(X), batch_size, seed + epoch)
        for idx in batches:
            loss, grads = quadratic_loss(params, X[idx], Y[idx])
            losses.append(loss)
            t += 1
            new = {}
            for k in params:
                w, dw, (s1, s2) = params[k], grads[k], state[k]
                if optimizer in ("gd", "sgd"):
                    new[k] = gd_step(w, dw, lr)
                elif optimizer == "momentum":
                    new[k] = momentum_step(w, prev[k], dw, lr, h["momentum"])
                elif optimizer == "nesterov":
                    new[k], s1 = nesterov_step(w, dw, s1, lr, h["momentum"])
                elif optimizer == "rmsprop":
                    new[k], s1 = rmsprop_step(w, dw, s1, lr, h["decay"], h["eps"])
                else:
                    new[k], s1, s2 = adam_step(w, dw, s1, s2, t, lr, h["beta1"], h["beta2"], h["eps"])
                state[k] = (s1, s2)
            prev, params = params, new
    return params, losses


TRAIN_CASES = [
    ("gd", 0.1, {}),
    ("sgd", 0.05, {}),
    ("momentum", 0.02, {}),
    ("momentum", 0.02, {"momentum": 0.5}),
    ("nesterov", 0.02, {}),
    ("nesterov", 0.02, {"momentum": 0.7}),
    ("rmsprop", 0.01, {}),
    ("rmsprop", 0.01, {"decay": 0.9, "eps": 1e-6}),
    ("adam", 0.05, {}),
    ("adam", 0.05, {"beta1": 0.5, "beta2": 0.9, "eps": 1e-6}),
]


@pytest.mark.parametrize("optimizer,lr,hyper", TRAIN_CASES, ids=[f"{o}-{h}" for o, _, h in TRAIN_CASES])
def test_train_follows_documented_contract(optimizer, lr, hyper):
    # batch 5 over 23 samples: 4 full batches and one of 3; seed + epoch per epoch
    params, losses = train(
        initial_params(), X, Y, quadratic_loss, optimizer=optimizer, lr=lr, batch_size=5, epochs=3, seed=11, **hyper
    )
    expected_params, expected_losses = replicate(optimizer, lr, 5, 3, 11, hyper)
    assert len(losses) == (3 if optimizer == "gd" else 3 * 5)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12)
    assert set(params) == {"w", "b"}
    for k in params:
        np.testing.assert_allclose(params[k], expected_params[k], rtol=1e-12, atol=1e-15)
    if hyper:  # the non-default keyword is really used
        default_params, _ = train(
            initial_params(), X, Y, quadratic_loss, optimizer=optimizer, lr=lr, batch_size=5, epochs=3, seed=11
        )
        assert not np.allclose(default_params["w"], params["w"])


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZER_DEFAULTS))
def test_train_converges_on_least_squares(optimizer):
    lr = {"gd": 0.1, "sgd": 0.05, "momentum": 0.02, "nesterov": 0.02, "rmsprop": 0.01, "adam": 0.05}[optimizer]
    params, losses = train(initial_params(), X, Y, quadratic_loss, optimizer=optimizer, lr=lr, batch_size=8, epochs=150)
    np.testing.assert_allclose(params["w"], [1.0, -2.0, 0.5], atol=0.02)
    np.testing.assert_allclose(params["b"], 0.3, atol=0.02)
    assert losses[-1] < 1e-2 * losses[0]


def test_train_does_not_modify_callers_params():
    params = initial_params()
    copies = {k: v.copy() for k, v in params.items()}
    X_copy, Y_copy = X.copy(), Y.copy()
    trained, _ = train(params, X, Y, quadratic_loss, optimizer="momentum", lr=0.02, epochs=2)
    assert set(params) == set(copies)
    for k in params:
        np.testing.assert_array_equal(params[k], copies[k])
        assert trained[k] is not params[k]
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(Y, Y_copy)


def test_train_accepts_image_batches():
    # X may have any trailing shape (a CNN's (N, C, H, W)); batches are cut along axis 0
    images = X.reshape(23, 3, 1, 1)

    def loss_on_images(params, Xb, yb):
        assert Xb.ndim == 4 and len(Xb) == len(yb)
        return quadratic_loss(params, Xb.reshape(len(Xb), 3), yb)

    flat, _ = train(initial_params(), X, Y, quadratic_loss, lr=0.05, batch_size=5, epochs=2)
    shaped, _ = train(initial_params(), images, Y, loss_on_images, lr=0.05, batch_size=5, epochs=2)
    np.testing.assert_array_equal(flat["w"], shaped["w"])


def test_train_zero_epochs_returns_copies_and_no_losses():
    params = initial_params()
    trained, losses = train(params, X, Y, quadratic_loss, epochs=0)
    assert losses == []
    np.testing.assert_array_equal(trained["w"], params["w"])
    assert trained["w"] is not params["w"]


def test_train_is_deterministic_given_seed():
    a, la = train(initial_params(), X, Y, quadratic_loss, lr=0.05, batch_size=4, epochs=2, seed=3)
    b, lb = train(initial_params(), X, Y, quadratic_loss, lr=0.05, batch_size=4, epochs=2, seed=3)
    c, lc = train(initial_params(), X, Y, quadratic_loss, lr=0.05, batch_size=4, epochs=2, seed=4)
    assert la == lb and la != lc
    np.testing.assert_array_equal(a["w"], b["w"])


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"optimizer": "adagrad"}, r"unknown optimizer 'adagrad'.*'adam'.*'sgd'"),
        ({"optimizer": "sgd", "beta1": 0.9}, r"\['beta1'\].*'sgd'"),
        ({"optimizer": "adam", "momentum": 0.9}, r"\['momentum'\].*\['beta1', 'beta2', 'eps'\]"),
        ({"optimizer": "momentum", "decay": 0.9}, r"\['decay'\].*\['momentum'\]"),
        ({"batch_size": 0}, "batch_size must be an integer >= 1, got 0"),
        ({"epochs": -1}, "epochs must be an integer >= 0, got -1"),
        ({"lr": 0.0}, "lr must be > 0"),
        ({"lr": -0.1}, "lr must be > 0"),
    ],
)
def test_train_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train(initial_params(), X, Y, quadratic_loss, **kwargs)


def test_train_rejects_mismatched_data_and_bad_grads():
    with pytest.raises(ValueError, match="same number"):
        train(initial_params(), X, Y[:-1], quadratic_loss)
    with pytest.raises(ValueError, match="keys of params"):
        train(initial_params(), X, Y, lambda p, xb, yb: (0.0, {"w": np.zeros(3)}))
