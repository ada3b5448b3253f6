"""Gradient-descent update rules and a training loop.

Every step moves *against* the gradient (descent; the lecture's slides write
the update with a + sign). Update rules take
the current parameters, their gradient and the optimiser's state, and return
new arrays; they never modify their inputs. ``train`` runs any of them over
minibatches of a data set with a user-supplied ``loss_fn``.
"""

import numpy as np

# The optimisers ``train`` knows and the keywords (with defaults) each accepts
# in ``**hyper``. Any other optimiser name or keyword is a ValueError.
OPTIMIZER_DEFAULTS = {
    "gd": {},
    "sgd": {},
    "momentum": {"momentum": 0.9},
    "nesterov": {"momentum": 0.9},
    "rmsprop": {"decay": 0.99, "eps": 1e-8},
    "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}


def _same_shape(**arrays):
    """The arrays as float64; ValueError unless they all have the same shape."""
    out = {name: np.asarray(a, dtype=np.float64) for name, a in arrays.items()}
    shapes = {name: a.shape for name, a in out.items()}
    if len(set(shapes.values())) > 1:
        got = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(f"expected arrays of one shape, got {got}")
    return out.values()


def gd_step(w, dw, lr):
    """One (stochastic) gradient-descent step: descent, so it moves against the gradient.

    The lecture's "Gradient descent".

    Inputs:
    - w: parameters, array of any shape
    - dw: gradient of the loss with respect to w, same shape as w
    - lr: learning rate η (float)

    Returns:
    - w_next: updated parameters, same shape as w
    """
    # YOUR CODE HERE
    raise NotImplementedError


def momentum_step(w, w_prev, dw, lr, momentum):
    """One step of gradient descent with (heavy-ball) momentum, in the lecture's form.

    The lecture's "SGD + Momentum" (with descent's sign): the state is the
    previous parameters W(j−1); on the first step pass ``w_prev = w`` (no
    velocity yet).

    Inputs:
    - w: current parameters W(j), array of any shape
    - w_prev: previous parameters W(j−1), same shape as w
    - dw: gradient ∇L(W(j)), same shape as w
    - lr: learning rate η (float)
    - momentum: momentum coefficient γ (float, typically 0.9)

    Returns:
    - w_next: W(j+1), same shape as w
    """
    # YOUR CODE HERE
    raise NotImplementedError


def nesterov_step(w, dw, v, lr, momentum):
    """One step of Nesterov accelerated gradient, in CS231n's form.

    Nesterov's look-ahead update rewritten for the variable that is stored
    (the look-ahead point), so that the gradient is taken at W(j) itself; the
    state is the velocity v, which starts at 0.

    Hint: CS231n's notes (Neural Networks Part 3, "Nesterov Momentum") give
    this form: first the new velocity from the old one and the gradient, then
    the parameters from both velocities.

    Inputs:
    - w: current parameters W(j), array of any shape
    - dw: gradient ∇L(W(j)), same shape as w
    - v: velocity v(j), same shape as w
    - lr: learning rate η (float)
    - momentum: momentum coefficient μ (float, typically 0.9)

    Returns a tuple of:
    - w_next: W(j+1), same shape as w
    - v_next: v(j+1), same shape as w
    """
    # YOUR CODE HERE
    raise NotImplementedError


def rmsprop_step(w, dw, cache, lr, decay=0.99, eps=1e-8):
    """One RMSProp step: divide the gradient by a running RMS of its past values.

    ``cache`` is an exponential running mean (weight ``decay`` on the old
    value) of the elementwise squared gradients, updated before it is used;
    the step divides by its square root plus ``eps`` (ε outside the root).
    Start with ``cache = 0``.

    Inputs:
    - w: current parameters, array of any shape
    - dw: gradient of the loss with respect to w, same shape as w
    - cache: running mean of squared gradients, same shape as w
    - lr: learning rate η (float)
    - decay: decay rate ρ of the running mean (float in [0, 1))
    - eps: ε, keeps the division finite (float > 0)

    Returns a tuple of:
    - w_next: updated parameters, same shape as w
    - cache_next: updated cache, same shape as w
    """
    # YOUR CODE HERE
    raise NotImplementedError


def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step: momentum on the gradient and RMSProp scaling, bias-corrected.

    ``m`` and ``v`` are exponential running means (weights ``beta1``, ``beta2``
    on the old values) of the gradient and of its elementwise square, updated
    before use; the step uses both after bias correction for step ``t``, and
    divides by the root of the corrected ``v`` plus ``eps`` (ε outside the root).
    With m = v = 0 the first step (t = 1) moves each weight by about
    η · sign(∇L): the bias correction undoes the zero initialisation.

    Hint: Kingma and Ba, "Adam: a method for stochastic optimization"
    (2015), Algorithm 1.

    Inputs:
    - w: current parameters, array of any shape
    - dw: gradient of the loss with respect to w, same shape as w
    - m: first-moment estimate, same shape as w (0 before the first step)
    - v: second-moment estimate, same shape as w (0 before the first step)
    - t: the 1-based number of this step (int ≥ 1), used for bias correction
    - lr: learning rate η (float)
    - beta1, beta2: decay rates of m and v (floats in [0, 1))
    - eps: ε, keeps the division finite (float > 0)

    Returns a tuple of:
    - w_next: updated parameters, same shape as w
    - m_next: updated first moment, same shape as w
    - v_next: updated second moment, same shape as w
    """
    # YOUR CODE HERE
    raise NotImplementedError


def minibatch_indices(n, batch_size, seed):
    """Cut a fresh random permutation of range(n) into minibatches.

    Inputs:
    - n: number of samples (int ≥ 1)
    - batch_size: samples per batch (int ≥ 1)
    - seed: seed of ``np.random.default_rng``; the same seed gives the same batches

    Returns:
    - batches: list of ceil(n / batch_size) int64 index arrays; together they
      hold every index of range(n) exactly once. All have batch_size entries
      except the last, which holds the n mod batch_size left over (if any).
    """
    # YOUR CODE HERE
    raise NotImplementedError


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")


def _check_train_args(params, X, y, optimizer, lr, batch_size, epochs, hyper):
    """Validate ``train``'s arguments; returns the optimiser's hyper-parameters with defaults filled in."""
    if optimizer not in OPTIMIZER_DEFAULTS:
        raise ValueError(f"unknown optimizer {optimizer!r}; expected one of {sorted(OPTIMIZER_DEFAULTS)}")
    allowed = OPTIMIZER_DEFAULTS[optimizer]
    unknown = sorted(set(hyper) - set(allowed))
    if unknown:
        raise ValueError(
            f"unknown keyword(s) {unknown} for optimizer {optimizer!r}; "
            f"it accepts {sorted(allowed) if allowed else 'none'}"
        )
    if not isinstance(params, dict) or not params:
        raise ValueError(f"params must be a non-empty dict of arrays, got {type(params).__name__}")
    _check_positive_int("batch_size", batch_size)
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"epochs must be an integer >= 0, got {epochs!r}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    if len(X) != len(y) or len(X) < 1:
        raise ValueError(f"X and y must hold the same number (>= 1) of samples, got {len(X)} and {len(y)}")
    return {**allowed, **hyper}


def train(params, X, y, loss_fn, *, optimizer="sgd", lr=0.1, batch_size=32, epochs=10, seed=0, **hyper):
    """Train parameters by minibatch gradient descent with one of six update rules.

    Each epoch takes a fresh shuffle, ``minibatch_indices(N, batch_size,
    seed + epoch)`` (epochs counted from 0), so a run is reproducible from
    ``seed``; for every batch it calls ``loss_fn`` and updates every
    parameter with the chosen rule:

    - ``"gd"``: full gradient descent, one step per epoch on all of X
      (``batch_size`` is not used, but must still be valid);
    - ``"sgd"``: ``gd_step`` on each minibatch;
    - ``"momentum"``: ``momentum_step`` (the lecture's form; the state is the
      previous parameters, equal to the initial ones before the first step);
      keyword ``momentum=0.9``;
    - ``"nesterov"``: ``nesterov_step``, velocity starting at 0; keyword ``momentum=0.9``;
    - ``"rmsprop"``: ``rmsprop_step``, cache starting at 0; keywords ``decay=0.99, eps=1e-8``;
    - ``"adam"``: ``adam_step``, moments starting at 0, t = 1, 2, … counting
      updates over all epochs; keywords ``beta1=0.9, beta2=0.999, eps=1e-8``.

    The caller's ``params`` dict and arrays are left untouched: training works on copies.

    Inputs:
    - params: dict name -> float64 array (e.g. ``W1, b1, …`` from ``init_params``)
    - X: data of shape (N, ...) (batch first; any trailing shape, e.g. (N, d) or (N, C, H, W))
    - y: labels or targets of shape (N, ...)
    - loss_fn: function ``loss_fn(params, Xb, yb) -> (loss, grads)``, ``grads``
      a dict with the keys of ``params``, each gradient shaped like its parameter
    - optimizer: one of ``"gd", "sgd", "momentum", "nesterov", "rmsprop", "adam"``
    - lr: learning rate η > 0
    - batch_size: samples per minibatch (int ≥ 1); the last batch of an epoch may be smaller
    - epochs: number of passes over the data (int ≥ 0)
    - seed: seed of the shuffles
    - **hyper: the optimiser's own keywords listed above (any other raises ValueError)

    Returns a tuple of:
    - params: dict with the same keys, the trained parameters (new arrays)
    - losses: list of floats, the loss of every update in order
      (ceil(N / batch_size) per epoch; one per epoch for ``"gd"``)
    """
    # YOUR CODE HERE
    raise NotImplementedError
