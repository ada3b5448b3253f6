"""3.2 Convolution forward (20 points). Inputs stay small: a naive loop version finishes quickly.

It grades only the convolution, not 3.1 again: an answer that equals the
reference's ``conv_forward`` built on the student's own ``conv_output_size``
(called through the worker) is right too, so a wrong output size costs in
3.1 only.
"""

import numpy as np

from autograder.authoring import CheckFailed, question
from autograder.authoring.cases import conv_layer, random_conv_layer

# (N, C, F, HH, WW, stride, pad): pad 0 and > 0, stride 1 to 3, square and non-square filters
PLACED = ((2, 3, 4, 3, 3, 1, 0), (2, 3, 4, 3, 3, 1, 1), (2, 2, 3, 3, 3, 2, 1), (1, 3, 2, 1, 3, 2, 0),
          (2, 1, 2, 2, 3, 3, 2))
RANDOM_STRIDE_PAD = ((1, 0), (1, 1), (2, 0), (2, 1), (3, 2), (1, 2))
BUILT_ON = ("conv.conv_output_size",)   # what conv_forward builds on, graded in 3.1


def check_conv(q, x, w, b, stride, pad):
    """conv_forward against the reference (or the reference built on the student's conv_output_size);
    a mismatch that a flipped kernel explains is named."""
    case = f"{x.shape[2]}×{x.shape[3]} input, {w.shape[2]}×{w.shape[3]} filter, stride {stride}, pad {pad}"
    try:
        q.check("conv.conv_forward", x, w, b, stride=stride, pad=pad, case=case, built_on=BUILT_ON)
    except CheckFailed as exc:
        if flipped(q, x, w, b, stride, pad):
            raise CheckFailed(f"{exc} — likely a flipped kernel: the lecture's convolution is a "
                              "cross-correlation (no flip)") from None
        raise


def flipped(q, x, w, b, stride, pad) -> bool:
    """Is the student's conv_forward the reference's with the kernel flipped (a true convolution)?"""
    want = q.expected("conv.conv_forward", x, w[..., ::-1, ::-1].copy(), b, stride=stride, pad=pad)
    try:
        got = q.call("conv.conv_forward", x, w, b, stride=stride, pad=pad)
    except CheckFailed:
        return False
    return type(got) is np.ndarray and got.shape == want.shape and np.allclose(got, want, rtol=1e-6, atol=1e-8)


@question("3.2.1", points=14)
def test_placed(q):
    """conv_forward: H_out ≠ W_out, pad 0 and > 0, stride 1 to 3, overlapping windows, non-square filters"""
    with q.part(14, "conv_forward on every geometry"):
        for n, c, f, hh, ww, stride, pad in PLACED:
            check_conv(q, *conv_layer(q.rng, n, c, f, hh, ww, stride, pad), stride, pad)


@question("3.2.2", points=6)
def test_random(q):
    """conv_forward on random geometries; a geometry that does not divide raises ValueError"""
    with q.part(4, "random geometries"):
        for stride, pad in RANDOM_STRIDE_PAD:
            check_conv(q, *random_conv_layer(q.rng, stride, pad), stride, pad)
    x, w = q.rng.standard_normal((1, 1, 6, 7)), q.rng.standard_normal((1, 1, 3, 3))
    q.raises(2, "conv.conv_forward", x, w, q.rng.standard_normal(1), stride=2,
             label="stride 2 on a 6×7 input with a 3×3 filter raises ValueError")
