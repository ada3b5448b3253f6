"""3.3 Convolution backward (25 points).

Each gradient (dx, dw, db) earns its share only when it is right on every
placed geometry, with a diagnosis of the first failing one; then all three on
random geometries (a larger input among them). Any wrong gradient thus costs
at least its third of the question.
"""

from autograder.authoring import question

# (N, C, F, HH, WW, stride, pad): pad 0 and > 0, stride 1 to 3, square and non-square filters
PLACED = ((3, 2, 3, 3, 3, 1, 1), (3, 2, 3, 3, 3, 2, 0), (3, 3, 2, 3, 2, 2, 2), (1, 2, 2, 1, 3, 1, 0),
          (3, 1, 2, 2, 3, 3, 1))
RANDOM_STRIDE_PAD = ((1, 0), (1, 1), (2, 0), (2, 1), (3, 2), (1, 2))


def layer(rng, n, c, f, hh, ww, stride, pad, h_out=None):
    """dout, x, w, b of a geometry that fits, with H_out ≠ W_out (so H ≠ W); dout (N, F, H_out, W_out)."""
    h_out = h_out or int(rng.integers(2, 4))
    w_out = h_out + int(rng.integers(1, 3))
    h, w = ((out - 1) * stride + k - 2 * pad for out, k in ((h_out, hh), (w_out, ww)))
    return (rng.standard_normal((n, f, h_out, w_out)), rng.standard_normal((n, c, h, w)),
            rng.standard_normal((f, c, hh, ww)), rng.standard_normal(f))


def label(args, stride, pad):
    """``"5×6 input, 3×3 filter, stride 2, pad 1"``: the geometry of a case, for messages."""
    _, x, w, _ = args
    return f"{x.shape[2]}×{x.shape[3]} input, {w.shape[2]}×{w.shape[3]} filter, stride {stride}, pad {pad}"


@question("3.3.1", points=21)
def test_placed(q):
    """conv_backward: dx, dw, db with H_out ≠ W_out, pad 0 and > 0, stride 1 to 3, non-square filters"""
    cases = []
    for n, c, f, hh, ww, stride, pad in PLACED:
        args = layer(q.rng, n, c, f, hh, ww, stride, pad)
        cases.append(q.case(*args, stride=stride, pad=pad, label=label(args, stride, pad), batch=n))
    q.gradients(21, "conv.conv_backward", cases=cases)


@question("3.3.2", points=4)
def test_random(q):
    """conv_backward on random geometries, a larger input among them"""
    with q.part(4, "dx, dw, db on random geometries"):
        for stride, pad in RANDOM_STRIDE_PAD:
            n, c, f = q.rng.integers(1, 4, size=3)
            hh, ww = q.rng.integers(1, 4, size=2)
            args = layer(q.rng, n, c, f, max(hh, 2 * pad), max(ww, 2 * pad), stride, pad)
            q.check("conv.conv_backward", *args, stride=stride, pad=pad, case=label(args, stride, pad))
        args = layer(q.rng, 2, 3, 4, 3, 3, 2, 1, h_out=5)
        q.check("conv.conv_backward", *args, stride=2, pad=1, case=label(args, 2, 1))
