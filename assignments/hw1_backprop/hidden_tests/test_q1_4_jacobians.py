"""1.4 Numerical Jacobians and the chain rule (15 points)."""

import numpy as np

from autograder.authoring import FunctionRef, array, dims, question, seeds, st

# central differences of an affine f are exact up to rounding (≈1e-9 with h = 1e-6)
TOL = dict(rtol=1e-5, atol=1e-6)


@question("1.4.1", points=6)
def test_numerical_jacobian(q):
    """numerical_jacobian: (d, m) layout, d ≠ m, linear and nonlinear f"""
    A, c, x = q.rng.standard_normal((2, 3)), q.rng.standard_normal(2), q.rng.standard_normal(3)
    q.compare(2, "jacobians.numerical_jacobian", FunctionRef("affine", {"A": A, "c": c}), x, **TOL,
              label="affine f, d = 3, m = 2 (the Jacobian is A.T)")
    q.compare(2, "jacobians.numerical_jacobian", FunctionRef("tanh_affine", {"A": A, "c": c}), x, **TOL,
              label="tanh(A x + c)")
    q.compare(1, "jacobians.numerical_jacobian", FunctionRef("tanh_affine", {"A": A.T, "c": x}), c, h=1e-4, **TOL,
              label="h = 1e-4 given")
    cases = st.tuples(dims(1, 4), dims(1, 4), seeds())

    def one(case):
        d, m, seed = case
        f = FunctionRef("tanh_affine", {"A": array((m, d), seed), "c": array((m,), seed + 1)})
        q.check("jacobians.numerical_jacobian", f, array((d,), seed + 2), **TOL)

    q.examples(1, "random shapes", cases, one, max_examples=10)


@question("1.4.2", points=4)
def test_relu_jacobian(q):
    """relu_jacobian: diagonal, 0 where x ≤ 0"""
    x = q.rng.standard_normal(5)
    x[1] = 0.0
    x[3] = -abs(x[3])
    q.compare(3, "jacobians.relu_jacobian", x, label="x with an exact zero")
    q.compare(1, "jacobians.relu_jacobian", -abs(q.rng.standard_normal(1)), label="one negative entry")


@question("1.4.3", points=5)
def test_chain_rule(q):
    """chain_rule: dL/dx = (df/dx) @ dL/df, d ≠ m"""
    q.compare(3, "jacobians.chain_rule", q.rng.standard_normal((3, 2)), q.rng.standard_normal(2), label="d = 3, m = 2")
    cases = st.tuples(dims(1, 5), dims(1, 5), seeds())

    def one(case):
        d, m, seed = case
        q.check("jacobians.chain_rule", array((d, m), seed), array((m,), seed + 1))

    q.examples(2, "random shapes", cases, one, max_examples=10)
