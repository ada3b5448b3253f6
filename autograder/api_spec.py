"""The homework API of ``shared/API.md`` as data: module -> function -> signature.

One source for the test that enumerates the reference solution, the stub
generator's check of the student template, and the grader's check of a
submission's signatures. Must run on Python 3.10.
"""

from __future__ import annotations

import ast

API: dict[str, dict[str, str]] = {
    "gates": {
        "add_forward": "(x, y)",
        "add_backward": "(dout, x, y)",
        "mul_forward": "(x, y)",
        "mul_backward": "(dout, x, y)",
        "max_forward": "(x, y)",
        "max_backward": "(dout, x, y)",
        "neuron_forward": "(x, w)",
        "neuron_backward": "(dout, x, w)",
    },
    "activations": {
        "sigmoid_forward": "(x)",
        "sigmoid_backward": "(dout, x)",
        "tanh_forward": "(x)",
        "tanh_backward": "(dout, x)",
        "relu_forward": "(x)",
        "relu_backward": "(dout, x)",
        "leaky_relu_forward": "(x, alpha=0.01)",
        "leaky_relu_backward": "(dout, x, alpha=0.01)",
    },
    "jacobians": {
        "numerical_jacobian": "(f, x, h=1e-06)",
        "relu_jacobian": "(x)",
        "chain_rule": "(jacobian, dout)",
        "linear_l2_forward": "(W, x)",
        "linear_l2_backward": "(dout, W, x)",
    },
    "layers": {
        "linear_forward": "(x, W, b)",
        "linear_backward": "(dout, x, W, b)",
    },
    "losses": {
        "l2_loss": "(pred, y)",
        "hinge_loss": "(scores, y)",
        "svm_loss": "(scores, y)",
        "l2_regularization": "(W, reg)",
        "binary_cross_entropy": "(logits, y)",
        "softmax_cross_entropy": "(scores, y)",
    },
    "network": {
        "init_params": "(layer_sizes, seed=0)",
        "forward": "(params, X)",
        "loss_and_grads": "(params, X, y, reg=0.0)",
        "predict": "(params, X)",
    },
    "optim": {
        "gd_step": "(w, dw, lr)",
        "momentum_step": "(w, w_prev, dw, lr, momentum)",
        "nesterov_step": "(w, dw, v, lr, momentum)",
        "rmsprop_step": "(w, dw, cache, lr, decay=0.99, eps=1e-08)",
        "adam_step": "(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-08)",
        "minibatch_indices": "(n, batch_size, seed)",
        "train": "(params, X, y, loss_fn, *, optimizer='sgd', lr=0.1, batch_size=32, epochs=10, seed=0, **hyper)",
    },
    "preprocess": {
        "center": "(X)",
        "standardize": "(X, eps=1e-08)",
        "standardize_with": "(X, mean, std)",
        "pca": "(X, k)",
        "whiten": "(X, eps=1e-05)",
        "zca_whiten": "(X, eps=1e-05)",
    },
    "conv": {
        "conv_output_size": "(size, filter_size, stride=1, pad=0)",
        "conv_forward": "(x, w, b, stride=1, pad=0)",
        "conv_backward": "(dout, x, w, b, stride=1, pad=0)",
        "max_pool_forward": "(x, pool=2, stride=2)",
        "max_pool_backward": "(dout, x, pool=2, stride=2)",
        "init_cnn": "(input_shape, num_filters, filter_size, num_classes, seed=0)",
        "cnn_forward": "(params, X)",
        "cnn_loss_and_grads": "(params, X, y, reg=0.0)",
    },
}

# Which homework grades which modules (API.md); the manifests in
# assignments/<hw>/manifest.toml must agree (tested).
HOMEWORK_MODULES: dict[str, list[str]] = {
    "hw1_backprop": ["gates", "activations", "jacobians", "layers"],
    "hw2_training": ["losses", "network", "optim", "preprocess"],
    "hw3_cnn": ["conv"],
}


def signature_params(sig: str) -> list[tuple[str, bool]] | None:
    """``[(name, has_default), ...]`` of a signature string such as ``"(x, alpha=0.01)"``.

    ``("*", True)`` stands for a bare ``*`` or ``*args``, ``("**", True)`` for
    ``**kwargs``; keyword-only parameters follow the ``"*"`` entry. None if
    ``sig`` does not parse.
    """
    try:
        node = ast.parse(f"def f{sig}: pass").body[0].args
    except (SyntaxError, ValueError):
        return None
    positional = node.posonlyargs + node.args
    first_default = len(positional) - len(node.defaults)
    out = [(a.arg, i >= first_default) for i, a in enumerate(positional)]
    if node.vararg or node.kwonlyargs:
        out.append(("*", True))
    out += [(a.arg, d is not None) for a, d in zip(node.kwonlyargs, node.kw_defaults)]
    if node.kwarg:
        out.append(("**", True))
    return out
