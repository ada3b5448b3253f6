"""1.1 Add, multiply and max gates (15 points)."""

import numpy as np

from autograder.authoring import array, dims, kinds, question, seeds, st


@question("1.1.1", points=5)
def test_add_mul(q):
    """add and multiply gates: forward and gradients (dout ≠ 1)"""
    x, y, dout = q.rng.standard_normal((3, 2, 3))
    q.compare(1, "gates.add_forward", x, y)
    q.gradients(1, "gates.add_backward", dout, x, y)
    q.compare(1, "gates.mul_forward", x, y)
    q.gradients(2, "gates.mul_backward", dout, x, y)


@question("1.1.2", points=5)
def test_max(q):
    """max gate: forward and gradients, ties go to x"""
    x, y, dout = q.rng.standard_normal((3, 3, 4))
    y[0, 1], y[2, :2] = x[0, 1], x[2, :2]          # ties, x = y
    q.compare(1, "gates.max_forward", x, y)
    q.gradients(4, "gates.max_backward", dout, x, y, kinks=x == y)


@question("1.1.3", points=5)
def test_random_and_bad_shapes(q):
    """gates on random inputs (ties, zeros, 1-D and 2-D) and mismatched shapes"""
    cases = st.tuples(dims(1, 4), dims(1, 5), seeds(), kinds("normal", "ties", "zeros"), st.booleans())

    def one(case):
        n, d, seed, kind, flat = case
        shape = (n * d,) if flat else (n, d)
        x, y, dout = array(shape, seed, kind), array(shape, seed + 1, kind), array(shape, seed + 2)
        for gate in ("add", "mul", "max"):
            q.check(f"gates.{gate}_forward", x, y)
            q.check(f"gates.{gate}_backward", dout, x, y)

    q.examples(4, "random inputs", cases, one, max_examples=20)
    q.raises(1, "gates.add_forward", np.ones((2, 3)), np.ones((3, 2)), label="x and y of different shapes raise ValueError")
