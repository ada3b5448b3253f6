"""1.4 Numerical Jacobians and the chain rule (15 points: 5 per function)."""

import numpy as np

from autograder.authoring import FunctionRef, array, dims, question, seeds, st

# central differences of an affine f are exact up to rounding (≈1e-9 with h = 1e-6)
TOL = dict(rtol=1e-5, atol=1e-6)
SHAPES = st.tuples(dims(1, 4), dims(1, 4), seeds())


@question("1.4.1", points=5)
def test_numerical_jacobian(q):
    """numerical_jacobian: (d, m) layout, d ≠ m, linear and nonlinear f, a given h"""
    A, c, x = q.rng.standard_normal((2, 3)), q.rng.standard_normal(2), q.rng.standard_normal(3)
    with q.part(5, "numerical_jacobian"):
        q.check("jacobians.numerical_jacobian", FunctionRef("affine", {"A": A, "c": c}), x, **TOL,
                case="affine f, d = 3, m = 2: the Jacobian is A.T")
        q.check("jacobians.numerical_jacobian", FunctionRef("tanh_affine", {"A": A, "c": c}), x, **TOL,
                case="tanh(A x + c)")
        q.check("jacobians.numerical_jacobian", FunctionRef("tanh_affine", {"A": A.T, "c": x}), c, h=1e-4, **TOL,
                case="h = 1e-4 given")
        for d, m, seed in q.draw(SHAPES, 6):
            f = FunctionRef("tanh_affine", {"A": array((m, d), seed), "c": array((m,), seed + 1)})
            q.check("jacobians.numerical_jacobian", f, array((d,), seed + 2), **TOL, case="random shapes")


@question("1.4.2", points=5)
def test_relu_jacobian(q):
    """relu_jacobian: diagonal, 0 where x ≤ 0 (exactly 0 included)"""
    x = q.rng.standard_normal(5)
    x[0], x[1], x[3] = abs(x[0]), 0.0, -abs(x[3])
    with q.part(5, "relu_jacobian"):
        q.check("jacobians.relu_jacobian", x, case="an exact zero")
        q.check("jacobians.relu_jacobian", -abs(q.rng.standard_normal(1)), case="one negative entry")


@question("1.4.3", points=5)
def test_chain_rule(q):
    """chain_rule: dL/dx = (df/dx) @ dL/df, d ≠ m"""
    with q.part(5, "chain_rule"):
        q.check("jacobians.chain_rule", q.rng.standard_normal((3, 2)), q.rng.standard_normal(2), case="d = 3, m = 2")
        for d, m, seed in q.draw(SHAPES, 6):
            q.check("jacobians.chain_rule", array((d, m), seed), array((m,), seed + 1), case="random shapes")
