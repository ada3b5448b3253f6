"""Probe inputs for hw3's bank (tests/test_bank.py): function name -> list of (args, kwargs).

Valid inputs that include the edge cases the mutants get wrong (stride > 1, pad 0 and
> 0, H ≠ W and H_out ≠ W_out, non-square kernels, max-pool ties, overlapping windows):
every buggy entry must differ from the reference on one of them, every correct
alternative must agree on all (random draws by their properties).
"""
import numpy as np

r = np.random.default_rng(3)
xc, wc = r.standard_normal((2, 3, 5, 5)), r.standard_normal((4, 3, 3, 3))
xc2, wc2 = r.standard_normal((2, 2, 6, 6)), r.standard_normal((3, 2, 2, 3))  # H_out = 5 != W_out = 4
ties = r.integers(0, 3, (2, 2, 4, 4)).astype(float)
xo = r.standard_normal((1, 2, 5, 5))
x46 = r.standard_normal((1, 2, 4, 6))  # H != W
imgs, labels = r.standard_normal((3, 1, 8, 8)), np.array([0, 3, 1])
cnn = {"W1": r.standard_normal((3, 1, 3, 3)), "b1": r.standard_normal(3),
       "W2": r.standard_normal((4, 3 * 4 * 4)) * 0.3, "b2": r.standard_normal(4)}

PROBES = {
    "conv_output_size": [((5, 3), {"stride": 2, "pad": 1}), ((6, 3), {"stride": 2}), ((7, 3), {"pad": 1})],
    "conv_forward": [((xc, wc, r.standard_normal(4)), {"stride": 2, "pad": 1}), ((xc2, wc2, r.standard_normal(3)), {})],
    "conv_backward": [((r.standard_normal((2, 4, 3, 3)), xc, wc, r.standard_normal(4)), {"stride": 2, "pad": 1}),
                      ((r.standard_normal((2, 3, 5, 4)), xc2, wc2, r.standard_normal(3)), {})],
    "max_pool_forward": [((ties,), {}), ((xo,), {"pool": 3, "stride": 1}), ((x46,), {})],
    "max_pool_backward": [((r.standard_normal((2, 2, 2, 2)), ties), {}),
                          ((r.standard_normal((1, 2, 3, 3)), xo), {"pool": 3, "stride": 1}),
                          ((r.standard_normal((1, 2, 2, 3)), x46), {})],
    "init_cnn": [(((1, 8, 8), 3, 3, 4), {"seed": 0})],
    "cnn_forward": [((cnn, imgs), {})],
    "cnn_loss_and_grads": [((cnn, imgs, labels), {"reg": 0.1})],
}

# conv_output_size's probes include a geometry that does not divide: the reference raises ValueError there
REFERENCE_MAY_RAISE = {"conv_output_size"}


def he_initialised_cnn(value, args, kwargs) -> bool:
    """init_cnn's spec: the four shapes, zero biases, He scale (fan-in) for both weights."""
    (C, H, W), F, k, classes = args
    hidden = F * (H // 2) * (W // 2)
    shapes = {"W1": (F, C, k, k), "b1": (F,), "W2": (classes, hidden), "b2": (classes,)}
    return ({key: v.shape for key, v in value.items()} == shapes and not value["b1"].any()
            and not value["b2"].any()
            and abs(value["W1"].std() / np.sqrt(2.0 / (C * k * k)) - 1) < 0.5
            and abs(value["W2"].std() / np.sqrt(2.0 / hidden) - 1) < 0.5)


# results that depend on random draws: a correct alternative is held to these properties
PROPERTIES = {"init_cnn": he_initialised_cnn}
