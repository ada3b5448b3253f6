"""train stores the updated weights as momentum's previous ones, so w − w_prev is always 0: plain SGD."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.6"]


def train(params, X, y, loss_fn, *, optimizer="sgd", lr=0.1, batch_size=32, epochs=10, seed=0, **hyper):
    X, y = np.asarray(X), np.asarray(y)
    hyper = _check_train_args(params, X, y, optimizer, lr, batch_size, epochs, hyper)
    n = len(X)
    params = {key: np.array(value, dtype=np.float64, copy=True) for key, value in params.items()}
    prev = {key: value.copy() for key, value in params.items()}
    first = {key: np.zeros_like(value) for key, value in params.items()}
    second = {key: np.zeros_like(value) for key, value in params.items()}
    losses, t = [], 0
    for epoch in range(epochs):
        batches = [np.arange(n)] if optimizer == "gd" else minibatch_indices(n, batch_size, seed + epoch)
        for idx in batches:
            loss, grads = loss_fn(params, X[idx], y[idx])
            losses.append(float(loss))
            t += 1
            for key in params:
                w, dw = params[key], grads[key]
                if optimizer in ("gd", "sgd"):
                    params[key] = gd_step(w, dw, lr)
                elif optimizer == "momentum":
                    params[key] = momentum_step(w, prev[key], dw, lr, hyper["momentum"])
                    prev[key] = params[key]
                elif optimizer == "nesterov":
                    params[key], first[key] = nesterov_step(w, dw, first[key], lr, hyper["momentum"])
                elif optimizer == "rmsprop":
                    params[key], first[key] = rmsprop_step(w, dw, first[key], lr, hyper["decay"], hyper["eps"])
                else:
                    params[key], first[key], second[key] = adam_step(
                        w, dw, first[key], second[key], t, lr, hyper["beta1"], hyper["beta2"], hyper["eps"])
    return params, losses
