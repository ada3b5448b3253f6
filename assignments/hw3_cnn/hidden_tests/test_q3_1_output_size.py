"""3.1 Output size of a convolution (5 points)."""

from autograder.authoring import CheckFailed, question

# (stride, pad) of the geometries that fit: pad 0 and > 0, stride 1 and > 1
FITTING = ((1, 0), (1, 2), (2, 0), (3, 1), (2, 3))


def fitting(rng, stride, pad, out=None):
    """``(size, filter_size)`` with ``(size + 2 pad − filter_size) / stride + 1`` a whole number ≥ 1 (``out``)."""
    k = int(rng.integers(1, 7))
    lowest = 1 + max(0, -(-(1 + 2 * pad - k) // stride))       # the smallest output with size ≥ 1
    out = out or int(rng.integers(max(2, lowest), max(2, lowest) + 6))
    return (out - 1) * stride + k - 2 * pad, k


@question("3.1.1", points=5)
def test_conv_output_size(q):
    """conv_output_size: pad 0 and > 0, stride 1 to 3, an output of 1, and geometries that do not fit"""
    with q.part(5, "conv_output_size on every geometry"):
        for stride, pad in FITTING:
            q.check("conv.conv_output_size", *fitting(q.rng, stride, pad), stride, pad,
                    case=f"stride {stride}, pad {pad}")
        k = int(q.rng.integers(3, 7))
        q.check("conv.conv_output_size", k - 2, k, 2, 1, case="the filter as large as the padded input")
        size, k = fitting(q.rng, 3, 1)
        for bad, case in (((size + 1, k, 3, 1), "stride 3 does not divide size + 2·pad − filter_size"),
                          ((k, k + 1, 1, 0), "a filter larger than the input")):
            try:
                q.check_raises("conv.conv_output_size", *bad)
            except CheckFailed as exc:
                raise CheckFailed(f"{exc} ({case})") from None
