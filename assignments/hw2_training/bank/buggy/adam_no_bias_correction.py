"""adam_step uses m and v directly, without the bias corrections 1/(1 - β1^t) and 1/(1 - β2^t)."""
import numpy as np

MODULE = "optim"
KILLED_BY = ["2.5"]


def adam_step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    w, dw, m, v = (np.asarray(a, dtype=np.float64) for a in (w, dw, m, v))
    m_next = beta1 * m + (1.0 - beta1) * dw
    v_next = beta2 * v + (1.0 - beta2) * dw * dw
    return w - lr * m_next / (np.sqrt(v_next) + eps), m_next, v_next
