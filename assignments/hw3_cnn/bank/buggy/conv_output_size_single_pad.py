"""conv_output_size adds the padding once (size + pad) instead of on both sides (size + 2 pad)."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.1"]


def conv_output_size(size, filter_size, stride=1, pad=0):
    span = size + pad - filter_size
    if span < 0 or span % stride:
        raise ValueError(f"geometry does not divide: size={size}, filter_size={filter_size}, stride={stride}, pad={pad}")
    return span // stride + 1
