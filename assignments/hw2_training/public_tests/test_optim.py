"""Public tests of nnkit/optim.py: one step of each rule by hand, minibatches, the training loop."""

import numpy as np
import pytest

from nnkit.optim import (adam_step, gd_step, minibatch_indices, momentum_step, nesterov_step,
                         rmsprop_step, train)

W = np.array([1.0, -2.0])
DW = np.array([0.5, 4.0])


def test_gd_step():
    np.testing.assert_allclose(gd_step(W, DW, 0.1), [0.95, -2.4])


def test_momentum_step_is_the_lectures_heavy_ball():
    w_prev = np.array([0.0, -1.0])
    # W(j+1) = W(j) − η ∇L + γ (W(j) − W(j−1))
    np.testing.assert_allclose(momentum_step(W, w_prev, DW, 0.1, 0.9), [0.95 + 0.9, -2.4 - 0.9])


def test_nesterov_step():
    v = np.array([0.2, 0.0])
    w_next, v_next = nesterov_step(W, DW, v, 0.1, 0.9)
    np.testing.assert_allclose(v_next, [0.9 * 0.2 - 0.05, -0.4])
    np.testing.assert_allclose(w_next, W - 0.9 * v + 1.9 * v_next)


def test_rmsprop_step():
    w_next, cache = rmsprop_step(W, DW, np.ones(2), 0.1, decay=0.9, eps=1e-8)
    expected_cache = 0.9 + 0.1 * DW ** 2
    np.testing.assert_allclose(cache, expected_cache)
    np.testing.assert_allclose(w_next, W - 0.1 * DW / np.sqrt(expected_cache), rtol=1e-7)


def test_adam_first_step_moves_each_weight_by_about_lr():
    w_next, m, v = adam_step(W, DW, np.zeros(2), np.zeros(2), 1, 0.01)
    np.testing.assert_allclose(m, 0.1 * DW)
    np.testing.assert_allclose(v, 0.001 * DW ** 2)
    # with bias correction the first step is lr · sign(dw)
    np.testing.assert_allclose(w_next, W - 0.01 * np.sign(DW), rtol=1e-6)


def test_steps_do_not_modify_inputs():
    w, dw, state = W.copy(), DW.copy(), np.ones(2)
    gd_step(w, dw, 0.1)
    momentum_step(w, state, dw, 0.1, 0.9)
    nesterov_step(w, dw, state, 0.1, 0.9)
    rmsprop_step(w, dw, state, 0.1)
    adam_step(w, dw, state, state, 2, 0.1)
    for a, a0 in ((w, W), (dw, DW), (state, np.ones(2))):
        np.testing.assert_array_equal(a, a0)


def test_minibatch_indices_partition():
    batches = minibatch_indices(10, 4, seed=0)
    assert [len(b) for b in batches] == [4, 4, 2], "batches of batch_size, the last one smaller"
    assert sorted(np.concatenate(batches).tolist()) == list(range(10)), "every index exactly once"
    again = minibatch_indices(10, 4, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(batches, again)), "the same seed gives the same batches"
    order = np.concatenate(minibatch_indices(30, 8, seed=1))
    assert not np.array_equal(order, np.arange(30)), "the indices must be shuffled (a random permutation)"


def quadratic_loss(params, Xb, yb):
    """L = mean over the batch of ||w − x_i||², minimised by the mean of X."""
    diff = params["w"] - Xb
    return float(np.mean(np.sum(diff ** 2, axis=1))), {"w": 2 * np.mean(diff, axis=0)}


@pytest.mark.parametrize("optimizer", ["gd", "sgd", "momentum", "nesterov", "rmsprop", "adam"])
def test_train_decreases_the_loss(optimizer):
    X = np.random.default_rng(1).standard_normal((40, 3)) + 2.0
    params, losses = train({"w": np.zeros(3)}, X, np.zeros(40), quadratic_loss, optimizer=optimizer,
                           lr=0.05, batch_size=10, epochs=20, seed=0)
    updates = 20 if optimizer == "gd" else 20 * 4
    assert len(losses) == updates, f"one loss per update: expected {updates}, got {len(losses)}"
    assert np.mean(losses[-4:]) < 0.5 * losses[0], f"{optimizer}: the loss should fall, got {losses[0]:.3f} -> {losses[-1]:.3f}"


def test_train_rejects_unknown_optimiser_and_keyword():
    with pytest.raises(ValueError):
        train({"w": np.zeros(3)}, np.ones((4, 3)), np.zeros(4), quadratic_loss, optimizer="sgdd")
    with pytest.raises(ValueError):
        train({"w": np.zeros(3)}, np.ones((4, 3)), np.zeros(4), quadratic_loss, optimizer="adam", momentum=0.9)
