"""1.5 Gradients of ||Wx||² (15 points)."""

from autograder.authoring import array, dims, question, seeds, st


def cases(rng):
    """(W, x) pairs: W (3, 2), d ≠ m; and a square W, where a transpose slips through the shapes."""
    return (rng.standard_normal((3, 2)), rng.standard_normal(2)), (rng.standard_normal((2, 2)), rng.standard_normal(2))


@question("1.5.1", points=4)
def test_forward(q):
    """linear_l2_forward: d ≠ m and square W"""
    (W, x), (W_sq, x_sq) = cases(q.rng)
    q.compare(2, "jacobians.linear_l2_forward", W, x, label="W (3, 2)")
    q.compare(2, "jacobians.linear_l2_forward", W_sq, x_sq, label="square W")


@question("1.5.2", points=11)
def test_backward(q):
    """linear_l2_backward: dW and dx, dout ≠ 1, d ≠ m and square W"""
    (W, x), (W_sq, x_sq) = cases(q.rng)
    q.gradients(4.5, "jacobians.linear_l2_backward", 2.0, W, x, label="W (3, 2), dout = 2")
    q.gradients(4.5, "jacobians.linear_l2_backward", 1.0, W_sq, x_sq, label="square W")
    shapes = st.tuples(dims(1, 4), dims(1, 4), seeds())

    def one(case):
        m, d, seed = case
        q.check("jacobians.linear_l2_backward", float(array((), seed + 2)), array((m, d), seed), array((d,), seed + 1))

    q.examples(2, "random shapes", shapes, one, max_examples=10)
