"""Benchmark: one training epoch of the reference ReLU network on the 8x8 digits.

Setup: network 64-128-10, softmax cross-entropy, reg 1e-4, plain SGD, batch
32, lr 0.1 (the digits test's configuration), 1438 training images = 45
updates per epoch. Printed:

- the reference: ``nnkit.optim.train`` for one epoch with
  ``nnkit.network.loss_and_grads`` (vectorised over the batch);
- a naive baseline in the same process: the same forward/backward written
  per sample (a Python loop over the images of each batch, vectors only), the
  way a first implementation from the lecture's single-sample formulas looks;
- the ratio naive / reference, and the largest difference between the two
  trained parameter sets (they compute the same thing, so it must be tiny).

Times are medians of several repeats after a warm-up. Run: `make bench`, or
`python bench/bench_training.py` from the repository root.
"""

import sys
import time
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "solutions"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from autograder.data import load_digits_split  # noqa: E402
from nnkit.network import init_params, loss_and_grads  # noqa: E402
from nnkit.optim import minibatch_indices, train  # noqa: E402
from timing import median_time  # noqa: E402

SIZES = [64, 128, 10]
LR, BATCH, REG, SEED = 0.1, 32, 1e-4, 0





def naive_loss_and_grads(params, X, y, reg):
    """The network's loss and gradients, one sample at a time (the baseline)."""
    L = len(params) // 2
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    total = 0.0
    for x, label in zip(X, y):
        hs, qs = [x], []
        for l in range(1, L + 1):
            q = params[f"W{l}"] @ hs[-1] + params[f"b{l}"]
            qs.append(q)
            hs.append(np.maximum(0.0, q) if l < L else q)
        scores = hs[-1] - hs[-1].max()
        p = np.exp(scores) / np.exp(scores).sum()
        total += -np.log(p[label])
        dout = p.copy()
        dout[label] -= 1.0
        for l in range(L, 0, -1):
            grads[f"W{l}"] += np.outer(dout, hs[l - 1])
            grads[f"b{l}"] += dout
            dout = params[f"W{l}"].T @ dout
            if l > 1:
                dout = dout * (qs[l - 2] > 0)
    n = len(X)
    loss = total / n
    for l in range(1, L + 1):
        W = params[f"W{l}"]
        loss += reg * np.sum(W * W)
        grads[f"W{l}"] = grads[f"W{l}"] / n + 2 * reg * W
        grads[f"b{l}"] = grads[f"b{l}"] / n
    return loss, grads


def naive_epoch(params, X, y):
    """One SGD epoch with the same batches as ``train`` (seed + epoch, epoch 0)."""
    params = {k: v.copy() for k, v in params.items()}
    for idx in minibatch_indices(len(X), BATCH, SEED):
        _, grads = naive_loss_and_grads(params, X[idx], y[idx], REG)
        for k in params:
            params[k] = params[k] - LR * grads[k]
    return params


def main():
    X, y, _, _ = load_digits_split()
    params = init_params(SIZES, seed=SEED)
    loss_fn = partial(loss_and_grads, reg=REG)

    def reference_epoch():
        return train(params, X, y, loss_fn, optimizer="sgd", lr=LR, batch_size=BATCH, epochs=1, seed=SEED)[0]

    t_ref = median_time(reference_epoch, repeats=5)
    t_naive = median_time(lambda: naive_epoch(params, X, y), repeats=3)
    diff = max(float(np.max(np.abs(reference_epoch()[k] - naive_epoch(params, X, y)[k]))) for k in params)
    updates = -(-len(X) // BATCH)
    print(f"one SGD epoch on digits: network {'-'.join(map(str, SIZES))}, batch {BATCH}, {len(X)} images, {updates} updates")
    print(f"  reference (vectorised, nnkit.optim.train): {t_ref * 1e3:8.1f} ms  ({t_ref / updates * 1e6:.0f} us/update)")
    print(f"  naive per-sample loop:                     {t_naive * 1e3:8.1f} ms")
    print(f"  ratio naive / reference:                   {t_naive / t_ref:8.1f}x")
    print(f"  max |params_reference - params_naive|:     {diff:.1e}")
    if diff > 1e-8:
        print("  ERROR: the naive baseline and the reference disagree")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
