"""conv_output_size floors (size + 2 pad - filter) / stride instead of rejecting a geometry that does not divide."""
import numpy as np

MODULE = "conv"
KILLED_BY = ["3.1"]


def conv_output_size(size, filter_size, stride=1, pad=0):
    return (size + 2 * pad - filter_size) // stride + 1
