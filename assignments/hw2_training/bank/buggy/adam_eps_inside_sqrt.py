"""adam_step divides by sqrt(v̂ + eps) instead of sqrt(v̂) + eps: wrong for tiny gradients."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.5"]


def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    if isinstance(t, bool) or int(t) != t or t < 1:
        raise ValueError(f"t must be an integer >= 1, got {t!r}")
    w, dw, m, v = _same_shape(w=w, dw=dw, m=m, v=v)  # the reference's argument check
    m_next = beta1 * m + (1.0 - beta1) * dw
    v_next = beta2 * v + (1.0 - beta2) * dw * dw
    m_hat = m_next / (1.0 - beta1**t)
    v_hat = v_next / (1.0 - beta2**t)
    return w - lr * m_hat / np.sqrt(v_hat + eps), m_next, v_next
