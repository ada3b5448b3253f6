"""3.4 Max pooling (20 points)."""

import numpy as np

from autograder.authoring import question

# (pool, stride): windows that tile (stride = pool) and that overlap (stride < pool)
PLACED = ((2, 2), (3, 1), (3, 2), (2, 1))


def pool_input(rng, pool, stride, n=2, c=2):
    """x (N, C, H, W) for a pooling that fits, with H_out ≠ W_out (so H ≠ W)."""
    h_out = int(rng.integers(2, 4))
    w_out = h_out + int(rng.integers(1, 3))
    return rng.standard_normal((n, c, (h_out - 1) * stride + pool, (w_out - 1) * stride + pool))


def with_tied_windows(rng, x, pool):
    """``x`` where every pool×pool window that tiles it (stride = pool) has its maximum twice,
    at two random places: the gradient goes to the first in row-major order."""
    x = x.copy()
    _, _, h, w = x.shape
    for i in range(0, h - pool + 1, pool):
        for j in range(0, w - pool + 1, pool):
            top = x[:, :, i:i + pool, j:j + pool].max(axis=(2, 3)) + 1.0
            for k in rng.permutation(pool * pool)[:2]:
                x[:, :, i + k // pool, j + k % pool] = top
    return x


def tie_mask(x, pool, stride):
    """True where an input shares its window's maximum with another entry (kinks of max)."""
    mask = np.zeros(x.shape, dtype=bool)
    _, _, h, w = x.shape
    for i in range(0, h - pool + 1, stride):
        for j in range(0, w - pool + 1, stride):
            win = x[:, :, i:i + pool, j:j + pool]
            eq = win == win.max(axis=(2, 3), keepdims=True)
            mask[:, :, i:i + pool, j:j + pool] |= eq & (eq.sum(axis=(2, 3), keepdims=True) > 1)
    return mask


def out_shape(x, pool, stride):
    """(N, C, H_out, W_out) of pooling ``x``."""
    n, c, h, w = x.shape
    return n, c, (h - pool) // stride + 1, (w - pool) // stride + 1


def geometry(x, pool, stride):
    """``"5×7 input, pool 3, stride 2"``, for messages."""
    return f"{x.shape[2]}×{x.shape[3]} input, pool {pool}, stride {stride}"


@question("3.4.1", points=8)
def test_forward(q):
    """max_pool_forward: H_out ≠ W_out, windows that tile and that overlap, stride ≠ pool"""
    with q.part(8, "max_pool_forward on every geometry"):
        for pool, stride in PLACED:
            x = pool_input(q.rng, pool, stride)
            q.check("conv.max_pool_forward", x, pool=pool, stride=stride, case=geometry(x, pool, stride))


@question("3.4.2", points=10)
def test_backward(q):
    """max_pool_backward: the gradient goes to the maximum; ties → the first in row-major order; overlaps add up"""
    cases = []
    for pool, stride in PLACED:
        x = pool_input(q.rng, pool, stride)
        cases.append(q.case(q.rng.standard_normal(out_shape(x, pool, stride)), x, pool=pool, stride=stride,
                            label=geometry(x, pool, stride)))
    for pool in (2, 3):
        x = with_tied_windows(q.rng, pool_input(q.rng, pool, pool), pool)
        cases.append(q.case(q.rng.standard_normal(out_shape(x, pool, pool)), x, pool=pool, stride=pool,
                            kinks=tie_mask(x, pool, pool), label=f"{geometry(x, pool, pool)}, ties in every window"))
    x = np.round(pool_input(q.rng, 3, 1))       # small integers: ties shared by overlapping windows
    cases.append(q.case(q.rng.standard_normal(out_shape(x, 3, 1)), x, pool=3, stride=1, kinks=tie_mask(x, 3, 1),
                        label=f"{geometry(x, 3, 1)}, ties in overlapping windows"))
    q.gradients(10, "conv.max_pool_backward", cases=cases)


@question("3.4.3", points=2)
def test_random(q):
    """max pooling forward and backward on random inputs with many ties"""
    with q.part(2, "random inputs"):
        for pool, stride in ((2, 2), (3, 1), (2, 1), (3, 3), (3, 2)):
            x = np.round(2 * pool_input(q.rng, pool, stride, *q.rng.integers(1, 3, size=2)))
            case = geometry(x, pool, stride)
            q.check("conv.max_pool_forward", x, pool=pool, stride=stride, case=case)
            q.check("conv.max_pool_backward", q.rng.standard_normal(out_shape(x, pool, stride)), x,
                    pool=pool, stride=stride, case=case)
