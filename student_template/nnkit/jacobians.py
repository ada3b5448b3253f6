"""Vector outputs: Jacobians, the chain rule with them, and ``||W x||²``.

For ``f: R^d → R^m`` and a real loss ``L``, the lecture's Jacobian layout is
``d × m``: row ``j`` holds the derivatives of every output with respect to
``x_j``,

    df/dx = [[df_1/dx_1 … df_m/dx_1],
             [    ⋮     ⋱     ⋮    ],
             [df_1/dx_d … df_m/dx_d]],

so that the chain rule is a matrix–vector product, ``dL/dx = (df/dx) @ (dL/df)``
(``(d, m) @ (m,) → (d,)``). A gradient always has the shape of what it is
taken with respect to. Conventions: float64, ``W`` is ``(m, d)``, inputs are
never modified.
"""

import numpy as np


def numerical_jacobian(f, x, h=1e-6):
    """Jacobian ``df/dx`` of ``f: R^d → R^m`` at ``x`` by central differences.

    Row ``j`` is ``(f(x + h e_j) − f(x − h e_j)) / 2h``, the derivatives of all
    ``m`` outputs with respect to ``x_j`` (the lecture's ``d × m`` layout).
    ``f`` is called on perturbed copies; ``x`` itself is never modified.

    Inputs:
    - f: function taking an array of shape (d,) and returning one of shape (m,)
    - x: point of shape (d,)
    - h: step, a positive float

    Returns:
    - jacobian: array of shape (d, m), jacobian[j, i] = df_i/dx_j
    """
    # YOUR CODE HERE
    raise NotImplementedError


def relu_jacobian(x):
    """Jacobian of ``f(x) = max(0, x)`` (elementwise), ``f: R^d → R^d``.

    ``df_i/dx_j = 0`` for ``i ≠ j`` (each output depends on its own input
    only), so the ``d × d`` Jacobian is diagonal, with 1 where ``x_j > 0``
    and 0 elsewhere (0 at exactly 0).

    Inputs:
    - x: point of shape (d,)

    Returns:
    - jacobian: array of shape (d, d), diag(x > 0)
    """
    # YOUR CODE HERE
    raise NotImplementedError


def chain_rule(jacobian, dout):
    """Chain rule with a vector-valued ``f``: ``dL/dx = (df/dx) @ (dL/df)``.

    Entry ``j`` is ``dL/dx_j = Σ_i dL/df_i · df_i/dx_j``, one row of the
    Jacobian times the upstream gradient.

    Inputs:
    - jacobian: df/dx, shape (d, m)
    - dout: upstream gradient dL/df, shape (m,)

    Returns:
    - dx: dL/dx, shape (d,)
    """
    # YOUR CODE HERE
    raise NotImplementedError


def linear_l2_forward(W, x):
    """Squared norm of a linear map: ``L(x, W) = ||W x||² = qᵀ q``, ``q = W x``.

    Inputs:
    - W: matrix of shape (m, d)
    - x: vector of shape (d,)

    Returns:
    - loss: float, Σ_i q_i²
    """
    # YOUR CODE HERE
    raise NotImplementedError


def linear_l2_backward(dout, W, x):
    """Gradients of ``L = ||W x||²`` times the upstream scalar ``dout``.

    With ``q = W x`` and ``∇_q L = 2q``: ``∇_W L = 2 q xᵀ`` (``dL/dW_jk =
    2 q_j x_k``, shape (m, d) like W) and ``∇_x L = 2 Wᵀ q`` (shape (d,)).

    Inputs:
    - dout: upstream gradient dL_total/dL, a scalar (1.0 when L is the loss)
    - W: matrix of shape (m, d)
    - x: vector of shape (d,)

    Returns a tuple of:
    - dW: dout · 2 q xᵀ, shape (m, d)
    - dx: dout · 2 Wᵀ q, shape (d,)
    """
    # YOUR CODE HERE
    raise NotImplementedError
