"""1.6 The linear layer (20 points)."""

from autograder.authoring import array, dims, question, seeds, st

SHAPES = st.tuples(dims(1, 5), dims(1, 5), dims(1, 5), seeds())   # N, d, m, seed


def layer(rng, n, d, m):
    """x (N, d), W (m, d), a non-zero b (m,), dout (N, m)."""
    return rng.standard_normal((n, d)), rng.standard_normal((m, d)), rng.standard_normal(m), rng.standard_normal((n, m))


@question("1.6.1", points=6)
def test_forward(q):
    """linear_forward: x @ W.T + b, d ≠ m and square W, bad shapes"""
    x, W, b, _ = layer(q.rng, 4, 3, 2)
    q.compare(2, "layers.linear_forward", x, W, b, label="N = 4, d = 3, m = 2")
    q.compare(2, "layers.linear_forward", *layer(q.rng, 3, 3, 3)[:3], label="square W")
    q.raises(1, "layers.linear_forward", x, W.T.copy(), b, label="W of shape (d, m) raises ValueError")

    def one(case):
        n, d, m, seed = case
        q.check("layers.linear_forward", array((n, d), seed), array((m, d), seed + 1), array((m,), seed + 2))

    q.examples(1, "random shapes", SHAPES, one, max_examples=10)


@question("1.6.2", points=14)
def test_backward(q):
    """linear_backward: dx, dW, db (summed over the batch)"""
    x, W, b, dout = layer(q.rng, 4, 3, 2)
    q.gradients(9, "layers.linear_backward", dout, x, W, b, batch=4)
    x, W, b, dout = layer(q.rng, 3, 3, 3)
    q.gradients(3, "layers.linear_backward", dout, x, W, b, label="square W", batch=3)

    def one(case):
        n, d, m, seed = case
        q.check("layers.linear_backward", array((n, m), seed + 3), array((n, d), seed),
                array((m, d), seed + 1), array((m,), seed + 2))

    q.examples(2, "random shapes", SHAPES, one, max_examples=10)
