"""The reference solution against torch (float64): another library's values and gradients.

Each test computes the same quantity with torch's own implementation (and its
autograd for the gradient) and with nnkit, on random inputs including
saturated ones. Conv and pooling are cross-checked in test_ref_conv.py.
"""

import numpy as np
import pytest

from nnkit import activations, layers, losses, network, optim
from torch_support import require_torch

torch = require_torch()
F = torch.nn.functional
TOL = dict(rtol=1e-10, atol=1e-12)


def _t(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def _inputs(seed, shape, scale=3.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=scale, size=shape)
    x.flat[:2] = [1000.0, -1000.0]  # saturated entries must agree too
    return x, rng.normal(size=shape)


@pytest.mark.parametrize(
    "name,torch_fn",
    [
        ("sigmoid", torch.sigmoid),
        ("tanh", torch.tanh),
        ("relu", torch.relu),
        ("leaky_relu", lambda t: F.leaky_relu(t, 0.2)),
    ],
)
def test_activation_and_its_gradient_match_torch(name, torch_fn):
    x, dout = _inputs(0, (5, 7))
    x[0, 2] = 0.0  # the kink of relu/leaky relu: torch's subgradient there is 0 / alpha, as ours
    kwargs = {"alpha": 0.2} if name == "leaky_relu" else {}
    xt = _t(x, grad=True)
    out_t = torch_fn(xt)
    out_t.backward(_t(dout))
    fwd = getattr(activations, f"{name}_forward")(x, **kwargs)
    bwd = getattr(activations, f"{name}_backward")(dout, x, **kwargs)
    np.testing.assert_allclose(fwd, out_t.detach().numpy(), **TOL)
    np.testing.assert_allclose(bwd, xt.grad.numpy(), **TOL)


def test_linear_layer_matches_torch():
    rng = np.random.default_rng(1)
    x, W, b = rng.normal(size=(6, 4)), rng.normal(size=(3, 4)), rng.normal(size=3)
    dout = rng.normal(size=(6, 3))
    xt, Wt, bt = _t(x, True), _t(W, True), _t(b, True)
    out_t = F.linear(xt, Wt, bt)  # torch uses the lecture's (m, d) weight layout too
    out_t.backward(_t(dout))
    np.testing.assert_allclose(layers.linear_forward(x, W, b), out_t.detach().numpy(), **TOL)
    for ours, theirs in zip(layers.linear_backward(dout, x, W, b), (xt, Wt, bt)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), **TOL)


def test_softmax_cross_entropy_matches_torch_even_saturated():
    rng = np.random.default_rng(2)
    scores = rng.normal(scale=5, size=(8, 5))
    scores[0] = [1000.0, -1000.0, 0.0, 999.0, -5.0]
    y = rng.integers(0, 5, size=8)
    st = _t(scores, True)
    loss_t = F.cross_entropy(st, torch.tensor(y))  # mean over the batch, as ours
    loss_t.backward()
    loss, dscores = losses.softmax_cross_entropy(scores, y)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    np.testing.assert_allclose(dscores, st.grad.numpy(), **TOL)


def test_binary_cross_entropy_matches_torch_even_saturated():
    rng = np.random.default_rng(3)
    logits = rng.normal(scale=4, size=10)
    logits[:3] = [1000.0, -1000.0, 0.0]
    y = rng.integers(0, 2, size=10).astype(float)
    lt = _t(logits, True)
    loss_t = F.binary_cross_entropy_with_logits(lt, _t(y))
    loss_t.backward()
    loss, dlogits = losses.binary_cross_entropy(logits, y)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    np.testing.assert_allclose(dlogits, lt.grad.numpy(), **TOL)


def test_svm_loss_matches_torch_multi_margin_loss():
    rng = np.random.default_rng(4)
    scores, y = rng.normal(size=(7, 4)), rng.integers(0, 4, size=7)
    st = _t(scores, True)
    # torch divides each sample's hinge sum by the number of classes C; the lecture's does not
    loss_t = F.multi_margin_loss(st, torch.tensor(y), margin=1.0) * 4
    loss_t.backward()
    loss, dscores = losses.svm_loss(scores, y)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    np.testing.assert_allclose(dscores, st.grad.numpy(), **TOL)


def test_l2_loss_matches_torch():
    rng = np.random.default_rng(5)
    pred, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    pt = _t(pred, True)
    loss_t = ((pt - _t(y)) ** 2).sum(dim=1).mean()  # (1/N) Σ_i ||pred_i − y_i||²
    loss_t.backward()
    loss, dpred = losses.l2_loss(pred, y)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    np.testing.assert_allclose(dpred, pt.grad.numpy(), **TOL)


def test_network_loss_and_grads_match_torch_autograd():
    params = network.init_params([5, 7, 6, 3], seed=0)
    rng = np.random.default_rng(6)
    params = {k: v + (rng.normal(scale=0.1, size=v.shape) if k.startswith("b") else 0) for k, v in params.items()}
    X, y, reg = rng.normal(size=(9, 5)), rng.integers(0, 3, size=9), 0.05
    tp = {k: _t(v, True) for k, v in params.items()}
    h = _t(X)
    for layer in (1, 2):
        h = torch.relu(F.linear(h, tp[f"W{layer}"], tp[f"b{layer}"]))
    scores = F.linear(h, tp["W3"], tp["b3"])
    loss_t = F.cross_entropy(scores, torch.tensor(y)) + reg * sum((tp[f"W{l}"] ** 2).sum() for l in (1, 2, 3))
    loss_t.backward()
    loss, grads = network.loss_and_grads(params, X, y, reg=reg)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    for key in params:
        np.testing.assert_allclose(grads[key], tp[key].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=key)


def _torch_steps(opt_cls, w, grads, **kw):
    """Run torch optimiser `opt_cls` on parameter w with the given gradient sequence."""
    p = _t(w, True)
    opt = opt_cls([p], **kw)
    out = []
    for g in grads:
        p.grad = _t(g)
        opt.step()
        out.append(p.detach().numpy().copy())
    return out


def test_adam_matches_torch_optim_adam():
    rng = np.random.default_rng(7)
    w, grads = rng.normal(size=(4, 3)), [rng.normal(size=(4, 3)) for _ in range(5)]
    theirs = _torch_steps(torch.optim.Adam, w, grads, lr=0.01, betas=(0.8, 0.99), eps=1e-6)
    m = v = np.zeros_like(w)
    for t, (g, expected) in enumerate(zip(grads, theirs), start=1):
        w, m, v = optim.adam_step(w, g, m, v, t, 0.01, beta1=0.8, beta2=0.99, eps=1e-6)
        np.testing.assert_allclose(w, expected, rtol=1e-12, atol=1e-14)


def test_rmsprop_matches_torch_optim_rmsprop():
    rng = np.random.default_rng(8)
    w, grads = rng.normal(size=6), [rng.normal(size=6) for _ in range(5)]
    theirs = _torch_steps(torch.optim.RMSprop, w, grads, lr=0.01, alpha=0.9, eps=1e-6)
    cache = np.zeros_like(w)
    for g, expected in zip(grads, theirs):
        w, cache = optim.rmsprop_step(w, g, cache, 0.01, decay=0.9, eps=1e-6)
        np.testing.assert_allclose(w, expected, rtol=1e-12, atol=1e-14)


def test_gd_and_heavy_ball_momentum_match_torch_sgd():
    rng = np.random.default_rng(9)
    w0, grads = rng.normal(size=5), [rng.normal(size=5) for _ in range(5)]
    # plain step
    np.testing.assert_allclose(optim.gd_step(w0, grads[0], 0.1), _torch_steps(torch.optim.SGD, w0, grads[:1], lr=0.1)[0], **TOL)
    # the lecture's W(j+1) = W(j) − η∇L + γ(W(j) − W(j−1)) is torch's SGD momentum
    # (dampening 0) written in positions instead of a velocity: same iterates.
    theirs = _torch_steps(torch.optim.SGD, w0, grads, lr=0.1, momentum=0.9)
    w_prev, w = w0, w0
    for g, expected in zip(grads, theirs):
        w_prev, w = w, optim.momentum_step(w, w_prev, g, 0.1, 0.9)
        np.testing.assert_allclose(w, expected, rtol=1e-12, atol=1e-14)
