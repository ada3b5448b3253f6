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

    Row ``j`` holds the derivatives of all ``m`` outputs with respect to ``x_j``
    (the lecture's ``d × m`` layout of "Jacobian Matrix"), each estimated by a
    central difference with step ``h``. ``f`` is called on perturbed copies;
    ``x`` itself is never modified.

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

    Each output depends on its own input only. Convention at the kink (an
    input exactly 0): the derivative there is 0, as in ``relu_backward``.

    Inputs:
    - x: point of shape (d,)

    Returns:
    - jacobian: array of shape (d, d), jacobian[j, i] = df_i/dx_j
    """
    # YOUR CODE HERE
    raise NotImplementedError


def chain_rule(jacobian, dout):
    """Chain rule with a vector-valued ``f``: ``dL/dx`` from ``df/dx`` and ``dL/df``.

    The lecture's "Vector Outputs" chain rule, in its order and with its
    ``d × m`` Jacobian layout (``jacobian[j, i] = df_i/dx_j``).

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

    The lecture's worked example of "Vector Outputs" (``q = W x``, then
    ``L = qᵀ q``): go through ``q`` with the chain rule.

    Hint: write ``dL/dW_jk`` for one entry first, then the whole matrix.

    Inputs:
    - dout: upstream gradient dL_total/dL, a scalar (1.0 when L is the loss)
    - W: matrix of shape (m, d)
    - x: vector of shape (d,)

    Returns a tuple of:
    - dW: dout · dL/dW, shape (m, d)
    - dx: dout · dL/dx, shape (d,)
    """
    # YOUR CODE HERE
    raise NotImplementedError
