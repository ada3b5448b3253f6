"""1.6 The linear layer (20 points: 10 per function, 10/3 per gradient)."""

from autograder.authoring import array, dims, question, seeds, st

SHAPES = st.tuples(dims(1, 5), dims(1, 5), dims(1, 5), seeds())   # N, d, m, seed


def inputs(q):
    """[(label, x, W, b, dout)]: N = 4, d = 3, m = 2; everything square; random shapes. b ≠ 0."""
    def layer(n, d, m):
        return q.rng.standard_normal((n, d)), q.rng.standard_normal((m, d)), q.rng.standard_normal(m), \
            q.rng.standard_normal((n, m))

    cases = [("N = 4, d = 3, m = 2", *layer(4, 3, 2)), ("square W", *layer(3, 3, 3))]
    for n, d, m, seed in q.draw(SHAPES, 8):
        cases.append(("random shapes", array((n, d), seed), array((m, d), seed + 1), array((m,), seed + 2),
                      array((n, m), seed + 3)))
    return cases


@question("1.6.1", points=10)
def test_forward(q):
    """linear_forward: x @ W.T + b, d ≠ m and square W, random shapes, W of shape (d, m) raises ValueError"""
    cases = inputs(q)
    with q.part(10, "linear_forward"):
        for label, x, W, b, _ in cases:
            q.check("layers.linear_forward", x, W, b, case=label)
        _, x, W, b, _ = cases[0]
        q.check_raises("layers.linear_forward", x, W.T.copy(), b)


@question("1.6.2", points=10)
def test_backward(q):
    """linear_backward: dx, dW, db (summed over the batch)"""
    q.gradients(10, "layers.linear_backward",
                cases=[q.case(dout, x, W, b, label=label, batch=len(x)) for label, x, W, b, dout in inputs(q)])
