"""3.3 Convolution backward (25 points).

Each gradient (dx, dw, db) earns its share only when it is right on every
placed geometry, with a diagnosis of the first failing one; then all three on
random geometries (a larger input among them). Any wrong gradient thus costs
at least its third of the question.

It grades only the backward pass, not 3.1 again: a gradient that equals the
reference's ``conv_backward`` built on the student's own ``conv_output_size``
(called through the worker) is right too, so a wrong output size costs in
3.1 only.
"""

from autograder.authoring import question
from autograder.authoring.cases import conv_layer, random_conv_layer

# (N, C, F, HH, WW, stride, pad): pad 0 and > 0, stride 1 to 3, square and non-square filters
PLACED = ((3, 2, 3, 3, 3, 1, 1), (3, 2, 3, 3, 3, 2, 0), (3, 3, 2, 3, 2, 2, 2), (1, 2, 2, 1, 3, 1, 0),
          (3, 1, 2, 2, 3, 3, 1))
RANDOM_STRIDE_PAD = ((1, 0), (1, 1), (2, 0), (2, 1), (3, 2), (1, 2))
BUILT_ON = ("conv.conv_output_size",)   # what conv_backward builds on, graded in 3.1


def with_dout(q, x, w, b, stride, pad):
    """``(dout, x, w, b)``: a standard normal upstream gradient of the forward output's shape."""
    shape = q.expected("conv.conv_forward", x, w, b, stride=stride, pad=pad).shape
    return q.rng.standard_normal(shape), x, w, b


def label(args, stride, pad):
    """``"5×6 input, 3×3 filter, stride 2, pad 1"``: the geometry of a case, for messages."""
    _, x, w, _ = args
    return f"{x.shape[2]}×{x.shape[3]} input, {w.shape[2]}×{w.shape[3]} filter, stride {stride}, pad {pad}"


@question("3.3.1", points=21)
def test_placed(q):
    """conv_backward: dx, dw, db with H_out ≠ W_out, pad 0 and > 0, stride 1 to 3, non-square filters"""
    cases = []
    for n, c, f, hh, ww, stride, pad in PLACED:
        args = with_dout(q, *conv_layer(q.rng, n, c, f, hh, ww, stride, pad), stride, pad)
        cases.append(q.case(*args, stride=stride, pad=pad, label=label(args, stride, pad), batch=n))
    q.gradients(21, "conv.conv_backward", cases=cases, built_on=BUILT_ON)


@question("3.3.2", points=4)
def test_random(q):
    """conv_backward on random geometries, a larger input among them"""
    with q.part(4, "dx, dw, db on random geometries"):
        for stride, pad in RANDOM_STRIDE_PAD:
            args = with_dout(q, *random_conv_layer(q.rng, stride, pad), stride, pad)
            q.check("conv.conv_backward", *args, stride=stride, pad=pad, case=label(args, stride, pad),
                    built_on=BUILT_ON)
        x, w, b = q.rng.standard_normal((2, 3, 9, 11)), q.rng.standard_normal((4, 3, 3, 3)), q.rng.standard_normal(4)
        args = with_dout(q, x, w, b, 2, 1)                   # a larger input: 5×6 outputs
        q.check("conv.conv_backward", *args, stride=2, pad=1, case=label(args, 2, 1), built_on=BUILT_ON)
