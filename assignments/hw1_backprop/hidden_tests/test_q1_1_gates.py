"""1.1 Add, multiply and max gates (15 points: 2.5 per function, 1.25 per gradient)."""

import numpy as np

from autograder.authoring import array, dims, kinds, question, seeds, st

RANDOM = st.tuples(dims(1, 4), dims(1, 5), seeds(), kinds("normal", "ties", "zeros"), st.booleans())


def random_inputs(q, n=8):
    """``n`` triples (x, y, dout): 1-D and 2-D, with ties and exact zeros (hypothesis)."""
    triples = []
    for rows, cols, seed, kind, flat in q.draw(RANDOM, n):
        shape = (rows * cols,) if flat else (rows, cols)
        triples.append((array(shape, seed, kind), array(shape, seed + 1, kind), array(shape, seed + 2)))
    return triples


def gate(q, name, x, y, dout):
    """A gate's two parts: forward (fixed and random inputs, mismatched shapes raise ValueError)
    and its gradients dx, dy (the same inputs), each right everywhere or lost."""
    randoms = random_inputs(q)
    with q.part(2.5, f"{name}_forward, random shapes, mismatched shapes raise ValueError"):
        q.check(f"gates.{name}_forward", x, y)
        for a, b, _ in randoms:
            q.check(f"gates.{name}_forward", a, b, case="random inputs")
        q.check_raises(f"gates.{name}_forward", np.ones((2, 3)), np.ones((3, 2)))
    q.gradients(2.5, f"gates.{name}_backward", cases=[q.case(dout, x, y, kinks=x == y)] + [
        q.case(d, a, b, kinks=a == b, label="random inputs") for a, b, d in randoms])


@question("1.1.1", points=5)
def test_add(q):
    """add gate: forward and gradients (dout ≠ 1), random shapes, mismatched shapes"""
    gate(q, "add", *q.rng.standard_normal((3, 2, 3)))


@question("1.1.2", points=5)
def test_mul(q):
    """multiply gate: forward and gradients (dout ≠ 1), random shapes, mismatched shapes"""
    gate(q, "mul", *q.rng.standard_normal((3, 2, 3)))


@question("1.1.3", points=5)
def test_max(q):
    """max gate: forward and gradients, ties go to x"""
    x, y, dout = q.rng.standard_normal((3, 3, 4))
    y[0, 1], y[2, :2] = x[0, 1], x[2, :2]          # ties, x = y
    gate(q, "max", x, y, dout)
