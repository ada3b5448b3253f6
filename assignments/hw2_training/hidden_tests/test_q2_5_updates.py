"""2.5 Update rules: GD, momentum, Nesterov, RMSProp, Adam (15 points).

Each rule is one part, right on every case or lost whole (its share,
manifest ``shares``): single steps where the hyper-parameters, eps and the
bias correction show (gradients of 1e-9 and 1e6, t = 1 and large t,
non-default decay and betas), then several steps in a row: step t gets the
state the student's own step t − 1 returned and is checked against the
reference's step on that same input (so the message names the first step
that went wrong), then random shapes.
"""

import numpy as np

from autograder.authoring import CheckFailed, array, dims, seeds, question, st

SHAPES = st.tuples(dims(1, 4), dims(1, 4), seeds())
TINY, HUGE = 1e-9, 1e6    # gradient scales where eps placement (tiny) and overflow (huge) show


def in_a_row(q, target, start, args_of, steps=4):
    """A check: ``steps`` calls of ``target``, call t with ``args_of(t, history)``, ``history``
    being ``[start, answer 1, …, answer t − 1]`` of the student's own (checked) answers."""
    history = [start]
    for t in range(1, steps + 1):
        history.append(q.check(target, *args_of(t, history), case=f"step {t} of {steps} in a row"))


def random_shapes(q, target, args_of):
    """A check: ``target`` on random shapes, arguments ``args_of(shape, seed)``."""
    q.check_examples(SHAPES, lambda c: q.check(target, *args_of(c[:2], c[2]), case=f"random shape {c[:2]}"),
                     max_examples=8)


@question("2.5.1", points=2)
def test_gd(q):
    """gd_step: W − η ∇L"""
    w, dw = q.rng.standard_normal((2, 3, 4))
    with q.part(2, "gd_step: one step, random shapes"):
        q.check("optim.gd_step", w, dw, float(q.rng.uniform(0.01, 0.5)))
        random_shapes(q, "optim.gd_step", lambda shape, seed: (array(shape, seed), array(shape, seed + 1), 0.05))


@question("2.5.2", points=3)
def test_momentum(q):
    """momentum_step: the lecture's heavy ball, W − η ∇L + γ (W − W_prev)"""
    w, w_prev, dw = q.rng.standard_normal((3, 3, 4))
    dws = q.rng.standard_normal((5, 3, 4))
    with q.part(3, "momentum_step: first step, W_prev ≠ W, 4 steps in a row, random shapes"):
        q.check("optim.momentum_step", w, w, dw, 0.1, 0.9, case="first step (W_prev = W)")
        q.check("optim.momentum_step", w, w_prev, dw, 0.1, 0.5, case="W_prev ≠ W, momentum 0.5")
        in_a_row(q, "optim.momentum_step", w, lambda t, h: (h[-1], h[-2] if t > 1 else h[-1], dws[t], 0.05, 0.8))
        random_shapes(q, "optim.momentum_step", lambda shape, seed: (
            array(shape, seed), array(shape, seed + 1), array(shape, seed + 2), 0.01, 0.9))


@question("2.5.3", points=3)
def test_nesterov(q):
    """nesterov_step: (w_next, v_next), v fed back step after step"""
    w, v, dw = q.rng.standard_normal((3, 3, 4))
    dws = q.rng.standard_normal((5, 3, 4))
    with q.part(3, "nesterov_step: v = 0, v ≠ 0, 4 steps in a row, random shapes"):
        q.check("optim.nesterov_step", w, dw, np.zeros_like(w), 0.1, 0.9, case="v = 0")
        q.check("optim.nesterov_step", w, dw, 0.1 * v, 0.1, 0.5, case="v ≠ 0, momentum 0.5")
        in_a_row(q, "optim.nesterov_step", (w, np.zeros_like(w)), lambda t, h: (h[-1][0], dws[t], h[-1][1], 0.05, 0.9))
        random_shapes(q, "optim.nesterov_step", lambda shape, seed: (
            array(shape, seed), array(shape, seed + 1), array(shape, seed + 2), 0.01, 0.9))


@question("2.5.4", points=3)
def test_rmsprop(q):
    """rmsprop_step: defaults, decay ≠ 0.99, eps placement (tiny gradients), several steps"""
    w, dw, cache = q.rng.standard_normal((3, 3, 4))
    dws = q.rng.standard_normal((5, 3, 4)) * np.array([TINY, 1.0, HUGE])[:, None]
    with q.part(3, "rmsprop_step: cache = 0, decay and eps given, gradients 1e-9 to 1e6, 4 steps in a row"):
        q.check("optim.rmsprop_step", w, dw, np.zeros_like(w), 0.01, case="cache = 0, default decay and eps")
        q.check("optim.rmsprop_step", w, TINY * dw, TINY**2 * cache**2, 0.01, decay=0.9, eps=1e-7,
                case="decay = 0.9, eps = 1e-7, gradients ≈ 1e-9 (eps outside the root)")
        in_a_row(q, "optim.rmsprop_step", (w, np.zeros_like(w)),
                 lambda t, h: (h[-1][0], dws[t], h[-1][1], 0.01, 0.8, 1e-6))
        random_shapes(q, "optim.rmsprop_step", lambda shape, seed: (
            array(shape, seed), array(shape, seed + 1), np.abs(array(shape, seed + 2)), 0.01))


@question("2.5.5", points=4)
def test_adam(q):
    """adam_step: bias correction at t = 1 and large t, eps placement, non-default betas, several steps"""
    w, dw, m, v = q.rng.standard_normal((4, 3, 4))
    dws = q.rng.standard_normal((5, 3, 4))
    z = np.zeros_like(w)
    t_large = int(q.rng.integers(500, 5000))
    with q.part(4, "adam_step: t = 1 and large t, gradients 1e-9 and 1e6, betas given, 4 steps in a row"):
        q.check("optim.adam_step", w, TINY * dw, z, z, 1, 0.01,
                case="t = 1 from zero moments, gradients ≈ 1e-9 (bias correction, eps outside the root)")
        q.check("optim.adam_step", w, HUGE * dw, HUGE * m, HUGE**2 * v**2, t_large, 0.01,
                case=f"t = {t_large}, gradients ≈ 1e6")
        q.check("optim.adam_step", w, dw, 0.1 * m, v**2, 3, 0.01, beta1=0.5, beta2=0.9, eps=1e-6,
                case="t = 3, beta1 = 0.5, beta2 = 0.9, eps = 1e-6")
        in_a_row(q, "optim.adam_step", (w, z, z),
                 lambda t, h: (h[-1][0], dws[t], h[-1][1], h[-1][2], t, 0.01, 0.8, 0.99))
        random_shapes(q, "optim.adam_step", lambda shape, seed: (
            array(shape, seed), array(shape, seed + 1), array(shape, seed + 2), np.abs(array(shape, seed + 3)), 2, 0.01))
