"""train reuses the same minibatch order every epoch (minibatch_indices(n, bs, seed) without the epoch)."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.6"]


def train(params, X, y, loss_fn, *, optimizer="sgd", lr=0.1, batch_size=32, epochs=10, seed=0, **hyper):
    defaults = {"gd": {}, "sgd": {}, "momentum": {"momentum": 0.9}, "nesterov": {"momentum": 0.9},
                "rmsprop": {"decay": 0.99, "eps": 1e-8}, "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}}
    if optimizer not in defaults or set(hyper) - set(defaults[optimizer]):
        raise ValueError(f"unknown optimizer {optimizer!r} or keywords {sorted(hyper)}")
    hp = {**defaults[optimizer], **hyper}
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    params = {k: np.array(v, dtype=np.float64, copy=True) for k, v in params.items()}
    prev = {k: v.copy() for k, v in params.items()}
    s1 = {k: np.zeros_like(v) for k, v in params.items()}
    s2 = {k: np.zeros_like(v) for k, v in params.items()}
    t, losses = 0, []
    for _ in range(epochs):
        batches = [np.arange(n)] if optimizer == "gd" else minibatch_indices(n, batch_size, seed)
        for idx in batches:
            loss, grads = loss_fn(params, X[idx], y[idx])
            losses.append(float(loss))
            t += 1
            for k in params:
                w, dw = params[k], grads[k]
                if optimizer in ("gd", "sgd"):
                    params[k] = gd_step(w, dw, lr)
                elif optimizer == "momentum":
                    params[k], prev[k] = momentum_step(w, prev[k], dw, lr, hp["momentum"]), w
                elif optimizer == "nesterov":
                    params[k], s1[k] = nesterov_step(w, dw, s1[k], lr, hp["momentum"])
                elif optimizer == "rmsprop":
                    params[k], s1[k] = rmsprop_step(w, dw, s1[k], lr, hp["decay"], hp["eps"])
                else:
                    params[k], s1[k], s2[k] = adam_step(w, dw, s1[k], s2[k], t, lr, hp["beta1"], hp["beta2"], hp["eps"])
    return params, losses
