"""init_cnn drawing its He-scaled weights from the legacy np.random.RandomState(seed)."""
import numpy as np

MODULE = "conv"


def init_cnn(input_shape, num_filters, filter_size, num_classes, seed=0):
    if len(tuple(input_shape)) != 3:
        raise ValueError(f"input_shape must be (C, H, W); got {input_shape!r}")
    C, H, W = (int(s) for s in input_shape)
    if min(C, H, W) < 1 or H % 2 or W % 2:
        raise ValueError(f"input_shape must be positive with even H and W; got {input_shape!r}")
    if filter_size < 1 or filter_size % 2 == 0:
        raise ValueError(f"filter_size must be a positive odd integer; got {filter_size}")
    if num_filters < 1 or num_classes < 1:
        raise ValueError(f"num_filters and num_classes must be >= 1; got {num_filters}, {num_classes}")
    rng = np.random.RandomState(seed)
    k = filter_size
    hidden = num_filters * (H // 2) * (W // 2)
    return {
        "W1": rng.randn(num_filters, C, k, k) * np.sqrt(2.0 / (C * k * k)),
        "b1": np.zeros(num_filters),
        "W2": rng.randn(num_classes, hidden) * np.sqrt(2.0 / hidden),
        "b2": np.zeros(num_classes),
    }
