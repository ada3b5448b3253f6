"""Probe inputs for hw2's bank (tests/test_bank.py): function name -> list of (args, kwargs).

Valid inputs that include the edge cases the mutants get wrong (margins of exactly 0,
±1000 logits, tiny gradients and non-default betas/decay for the optimisers, several
epochs of momentum and Adam, constant and low-variance features): every buggy entry
must differ from the reference on one of them, every correct alternative must agree
on all (PCA and whitening up to signs, random draws by their properties).
"""
import numpy as np

from nnkit.network import loss_and_grads

r = np.random.default_rng(2)
a, b, d = r.standard_normal((3, 4)), r.standard_normal((3, 4)), r.standard_normal((3, 4))
W23 = r.standard_normal((2, 3))
Xn, yn = r.standard_normal((10, 4)), r.integers(0, 3, 10)
Xc = np.hstack([r.standard_normal((8, 3)) * [3.0, 1.0, 0.3], np.full((8, 1), 2.0)])  # a constant feature
Xp = r.standard_normal((30, 4)) * [4.0, 2.0, 1.0, 0.5]
Xdeg = np.hstack([Xp[:, :2], Xp[:, :1]])  # a duplicated feature: a zero-variance direction
net = {k: v for l, (m, n) in enumerate([(5, 4), (3, 5)], start=1)
       for k, v in ((f"W{l}", r.standard_normal((m, n))), (f"b{l}", r.standard_normal(m)))}

PROBES = {
    "l2_loss": [((a, b), {})],
    "hinge_loss": [((np.array([1.0, -1.0, 0.5, 2.0, -0.2]), np.array([1.0, -1.0, 1.0, -1.0, 1.0])), {})],
    "svm_loss": [((r.standard_normal((4, 5)), np.array([0, 4, 2, 2])), {}),
                 ((np.array([[2.0, 1.0, 0.5], [0.0, 3.0, -1.0]]), np.array([0, 1])), {})],  # a margin of exactly 0
    "softmax_cross_entropy": [((r.standard_normal((4, 3)), np.array([0, 2, 1, 1])), {}),
                              ((np.array([[1000.0, 0.0, -1000.0], [3.0, 1.0, 2.0]]), np.array([1, 0])), {})],
    "binary_cross_entropy": [((np.array([1000.0, -1000.0, 0.5, -2.0]), np.array([0.0, 1.0, 1.0, 0.0])), {})],
    "l2_regularization": [((W23, 0.3), {})],
    "init_params": [(([4, 6, 3],), {"seed": 1})],
    "forward": [((net, Xn), {})],
    "loss_and_grads": [((net, Xn, yn), {"reg": 0.1})],
    "gd_step": [((a, d, 0.1), {})],
    "momentum_step": [((a, b, d, 0.1, 0.9), {})],
    "nesterov_step": [((a, d, b, 0.1, 0.9), {})],
    "rmsprop_step": [((a, -np.abs(d), np.zeros((3, 4)), 0.01), {}), ((a, d, np.abs(b), 0.01), {}),
                     ((a, d, np.abs(b), 0.01), {"decay": 0.9})],
    "adam_step": [((a, d, np.zeros((3, 4)), np.zeros((3, 4)), 1, 0.01), {}),
                  ((a, d, b, np.abs(b), 3, 0.01), {}),
                  ((a, 1e-5 * d, np.zeros((3, 4)), np.zeros((3, 4)), 1, 0.01), {}),  # eps placement shows
                  ((a, d, b, np.abs(b), 3, 0.01), {"beta1": 0.8, "beta2": 0.9})],
    "minibatch_indices": [((10, 3, 0), {}), ((7, 7, 2), {})],
    "train": [((net, Xn, yn, loss_and_grads), {"optimizer": name, "lr": 0.01, "batch_size": 4, "epochs": 2, "seed": 0})
              for name in ("sgd", "momentum", "adam")],
    "center": [((Xc,), {})],
    "standardize": [((Xc,), {})],
    "pca": [((Xp, 2), {})],
    "whiten": [((Xp,), {}), ((Xdeg,), {}), ((Xp * [1.0, 1.0, 1.0, 0.01],), {})],  # a low-variance direction
    "zca_whiten": [((Xp,), {})],
}

# PCA's component signs are free (Z's columns flip with the components' rows), and so are whiten's columns
SIGN_FREE = {"pca": {0: 1, 1: 0}, "whiten": 1}


def he_initialised(value, args, kwargs) -> bool:
    """init_params' spec: W{l} of shape (n_l, n_{l-1}) with std ≈ sqrt(2 / n_{l-1}), zero biases, nothing else."""
    sizes = args[0]
    return all(value[f"W{l}"].shape == (sizes[l], sizes[l - 1]) and not value[f"b{l}"].any()
               and abs(value[f"W{l}"].std() / np.sqrt(2.0 / sizes[l - 1]) - 1) < 0.5
               for l in range(1, len(sizes))) and len(value) == 2 * (len(sizes) - 1)


def partition_in_batches(value, args, kwargs) -> bool:
    """minibatch_indices' spec: every index once, batches of batch_size but the last."""
    n, size = args[0], args[1]
    lengths = [len(idx) for idx in value]
    return (sorted(np.concatenate(value).tolist()) == list(range(n))
            and lengths == [size] * (n // size) + ([n % size] if n % size else []))


# results that depend on random draws: a correct alternative is held to these properties
PROPERTIES = {"init_params": he_initialised, "minibatch_indices": partition_in_batches}
