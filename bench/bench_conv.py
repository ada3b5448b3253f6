"""Benchmark: convolution forward+backward, reference vs naive loops vs torch (float64).

Problem: N=64 images 3x32x32, 16 filters 5x5, stride 1, pad 2 (CIFAR-sized,
as in CS231n). Printed:

- the reference (im2col) forward, backward and forward+backward times;
- a naive 4-loop version (loops over n, f, i, j) timed on N=2 images and
  scaled linearly to N=64 (the full batch would take about a minute);
- torch.nn.functional.conv2d forward + autograd backward in float64, when
  torch is importable, with torch's thread count set to numpy's BLAS thread
  count;
- ratios ours / torch and naive / ours (target: ours / torch <= 1.0);
- one training epoch of the CNN on the 8x8 digits (16 filters 3x3, batch 32, Adam).

Times are medians of several repeats after a warm-up; against torch the
two alternate and the best times and the median per-round ratio are given. Run: `make bench`, or
`python bench/bench_conv.py` from the repository root (see bench/README.md
for a run with torch).
"""

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "solutions"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from autograder.data import load_digits_split  # noqa: E402
from nnkit.conv import (  # noqa: E402
    cnn_forward,
    cnn_loss_and_grads,
    conv_backward,
    conv_forward,
    init_cnn,
)
from nnkit.optim import train  # noqa: E402
from timing import median_time  # noqa: E402

N, C, H, W = 64, 3, 32, 32
F, HH, WW = 16, 5, 5
STRIDE, PAD = 1, 2
NAIVE_N = 2  # the naive version runs on this many images, then is scaled to N
REPEATS = 7




def blas_threads():
    """Number of threads numpy's BLAS uses (threadpoolctl if present, else the CPU count)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count() or 1, "os.cpu_count() (threadpoolctl not installed)"
    blas = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    if not blas:
        return os.cpu_count() or 1, "os.cpu_count() (no BLAS found by threadpoolctl)"
    info = blas[0]
    return info["num_threads"], f"{info.get('internal_api')} {info.get('version')}, {info.get('architecture')}"


def naive_conv_forward(x, w, b, stride, pad):
    """The definition: one dot product per (n, f, i, j)."""
    n_img, _, h, w_in = x.shape
    n_f, _, hh, ww = w.shape
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    h_out, w_out = (h + 2 * pad - hh) // stride + 1, (w_in + 2 * pad - ww) // stride + 1
    out = np.zeros((n_img, n_f, h_out, w_out))
    for n in range(n_img):
        for f in range(n_f):
            for i in range(h_out):
                for j in range(w_out):
                    window = xpad[n, :, i * stride:i * stride + hh, j * stride:j * stride + ww]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out


def naive_conv_backward(dout, x, w, b, stride, pad):
    """The definition's gradient, one window at a time."""
    n_img, _, h, w_in = x.shape
    n_f, _, hh, ww = w.shape
    xpad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxpad, dw = np.zeros_like(xpad), np.zeros_like(w)
    for n in range(n_img):
        for f in range(n_f):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    rows = slice(i * stride, i * stride + hh)
                    cols = slice(j * stride, j * stride + ww)
                    dxpad[n, :, rows, cols] += w[f] * dout[n, f, i, j]
                    dw[f] += xpad[n, :, rows, cols] * dout[n, f, i, j]
    return dxpad[:, :, pad:pad + h, pad:pad + w_in], dw, dout.sum(axis=(0, 2, 3))


def torch_conv(x, w, b, dout, threads):
    """(forward, forward+backward, version) of torch conv2d in float64, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    xt, wt, bt = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x, w, b))
    dout_t = torch.tensor(dout, dtype=torch.float64)
    ours = conv_forward(x, w, b, STRIDE, PAD)
    theirs = torch.nn.functional.conv2d(xt, wt, bt, stride=STRIDE, padding=PAD)
    assert np.allclose(ours, theirs.detach().numpy(), rtol=1e-10, atol=1e-10), "torch disagrees"

    def forward():
        with torch.no_grad():
            torch.nn.functional.conv2d(xt, wt, bt, stride=STRIDE, padding=PAD)

    def forward_backward():
        for t in (xt, wt, bt):
            t.grad = None
        out = torch.nn.functional.conv2d(xt, wt, bt, stride=STRIDE, padding=PAD)
        out.backward(dout_t)

    return forward, forward_backward, f"torch {torch.__version__}"


def paired(fn_a, fn_b, repeats=REPEATS):
    """Best (minimum) times of ``fn_a`` and ``fn_b`` and the median of their per-round ratio a/b.

    The two run alternately, so a load spike from another process tends to hit
    both; noise only ever adds time, so the best times are the steadiest
    estimate of each one's cost on a shared machine.
    """
    fn_a(), fn_b()  # warm-up
    ta, tb = [], []
    for _ in range(repeats):
        for fn, times in ((fn_a, ta), (fn_b, tb)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    ratios = np.array(ta) / np.array(tb)
    return min(ta), min(tb), float(np.median(ratios))


def bench_cnn_epoch():
    """Seconds per training epoch of the reference CNN on digits, and its test accuracy."""
    X_train, y_train, X_test, y_test = load_digits_split()
    X_train, X_test = X_train.reshape(-1, 1, 8, 8), X_test.reshape(-1, 1, 8, 8)
    params = init_cnn((1, 8, 8), num_filters=16, filter_size=3, num_classes=10, seed=0)

    def loss_fn(p, Xb, yb):
        return cnn_loss_and_grads(p, Xb, yb, reg=1e-4)

    epochs = 5
    start = time.perf_counter()
    params, _ = train(params, X_train, y_train, loss_fn, optimizer="adam", lr=1e-2,
                      batch_size=32, epochs=epochs, seed=0)
    per_epoch = (time.perf_counter() - start) / epochs
    accuracy = np.mean(np.argmax(cnn_forward(params, X_test), axis=1) == y_test)
    return per_epoch, len(y_train), accuracy, epochs


def main():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, C, H, W))
    w = rng.standard_normal((F, C, HH, WW))
    b = rng.standard_normal(F)
    dout = rng.standard_normal((N, F, H, W))
    threads, blas = blas_threads()
    print(f"conv: N={N}, {C}x{H}x{W}, {F} filters {HH}x{WW}, stride {STRIDE}, pad {PAD}, float64")
    print(f"numpy {np.__version__}, BLAS: {blas}, {threads} thread(s); "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    # Other jobs on the machine distort multi-threaded BLAS timings badly.
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)"
          + ("  (busy machine: times are unreliable; compare with OPENBLAS_NUM_THREADS=1)"
             if os.getloadavg()[0] > (os.cpu_count() or 1) else ""))

    ours_fwd = median_time(lambda: conv_forward(x, w, b, STRIDE, PAD), repeats=REPEATS)
    ours_bwd = median_time(lambda: conv_backward(dout, x, w, b, STRIDE, PAD), repeats=REPEATS)

    def ours_step():
        conv_forward(x, w, b, STRIDE, PAD)
        conv_backward(dout, x, w, b, STRIDE, PAD)

    ours = median_time(ours_step, repeats=REPEATS)
    print(f"reference (im2col): forward {ours_fwd * 1e3:8.1f} ms   backward {ours_bwd * 1e3:8.1f} ms"
          f"   forward+backward {ours * 1e3:8.1f} ms")

    # Naive loops on NAIVE_N images, checked against the reference, then scaled.
    xs, ds = x[:NAIVE_N], dout[:NAIVE_N]
    naive_out = naive_conv_forward(xs, w, b, STRIDE, PAD)
    naive_grads = naive_conv_backward(ds, xs, w, b, STRIDE, PAD)
    assert np.allclose(naive_out, conv_forward(xs, w, b, STRIDE, PAD))
    for a, c in zip(naive_grads, conv_backward(ds, xs, w, b, STRIDE, PAD)):
        assert np.allclose(a, c)

    def naive_step():
        naive_conv_forward(xs, w, b, STRIDE, PAD)
        naive_conv_backward(ds, xs, w, b, STRIDE, PAD)

    naive_small = median_time(naive_step, repeats=3, warmup=0)
    naive = naive_small * N / NAIVE_N
    print(f"naive 4-loop:       forward+backward {naive_small * 1e3:8.1f} ms on N={NAIVE_N}, "
          f"scaled x{N // NAIVE_N} to N={N}: {naive:8.2f} s")

    result = torch_conv(x, w, b, dout, threads)
    if result is None:
        print("torch: not installed, no comparison (see bench/README.md)")
    else:
        torch_fwd, torch_fb, version = result
        ours_f, theirs_f, ratio_f = paired(lambda: conv_forward(x, w, b, STRIDE, PAD), torch_fwd)
        ours_fb, theirs_fb, ratio_fb = paired(ours_step, torch_fb, repeats=2 * REPEATS)
        print(f"{version} float64, {threads} thread(s), best of {2 * REPEATS} alternating with the "
              f"reference: forward {theirs_f * 1e3:.1f} ms (ours {ours_f * 1e3:.1f}),"
              f" forward+backward {theirs_fb * 1e3:.1f} ms (ours {ours_fb * 1e3:.1f})")
        print(f"RATIO ours / torch float64, forward+backward: {ours_fb / theirs_fb:.2f}x best-of, "
              f"{ratio_fb:.2f}x median per round   (forward only: {ours_f / theirs_f:.2f}x; target <= 1.0x)")
    print(f"RATIO naive / ours (forward+backward): {naive / ours:.0f}x")

    per_epoch, n_train, accuracy, epochs = bench_cnn_epoch()
    print(f"CNN digits (16 filters 3x3, batch 32, Adam): {per_epoch * 1e3:.0f} ms per epoch "
          f"of {n_train} images; test accuracy after {epochs} epochs {accuracy:.4f}")


if __name__ == "__main__":
    main()
