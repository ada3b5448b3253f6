"""1.5 Gradients of ||Wx||² (15 points: 7.5 per function, 3.75 per gradient)."""

from autograder.authoring import array, dims, question, seeds, st

SHAPES = st.tuples(dims(1, 4), dims(1, 4), seeds())


def inputs(q):
    """[(label, dout, W, x)]: W (3, 2) with dout = 2, a square W (a transpose slips through the
    shapes), random shapes and dout."""
    cases = [("W (3, 2), dout = 2", 2.0, q.rng.standard_normal((3, 2)), q.rng.standard_normal(2)),
             ("square W", 1.0, q.rng.standard_normal((2, 2)), q.rng.standard_normal(2))]
    for m, d, seed in q.draw(SHAPES, 6):
        cases.append(("random shapes", float(array((), seed + 2)), array((m, d), seed), array((d,), seed + 1)))
    return cases


@question("1.5.1", points=7.5)
def test_forward(q):
    """linear_l2_forward: d ≠ m, square W, random shapes"""
    with q.part(7.5, "linear_l2_forward"):
        for label, _, W, x in inputs(q):
            q.check("jacobians.linear_l2_forward", W, x, case=label)


@question("1.5.2", points=7.5)
def test_backward(q):
    """linear_l2_backward: dW and dx, dout ≠ 1, d ≠ m and square W"""
    q.gradients(7.5, "jacobians.linear_l2_backward",
                cases=[q.case(dout, W, x, label=label) for label, dout, W, x in inputs(q)])
