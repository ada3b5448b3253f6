"""Cell constructors and the cells that several homework notebooks share.

A notebook source (``assignments/<hw>/notebook.py``) is a list ``CELLS`` of
``(kind, source)`` pairs; ``md`` and ``code`` build them from indented
triple-quoted strings. Exercise cells put the answer between nbgrader's
solution markers and the check of that answer after them, so that the
stripped cell (``raise NotImplementedError`` first) stops before its check and
no later cell depends on it.
"""

from __future__ import annotations

import textwrap


def md(text: str) -> tuple[str, str]:
    """A markdown cell (LaTeX between ``$``)."""
    return ("markdown", textwrap.dedent(text).strip("\n"))


def code(text: str) -> tuple[str, str]:
    """A code cell."""
    return ("code", textwrap.dedent(text).strip("\n"))


def setup(modules: str) -> tuple[str, str]:
    """The first code cell: imports, and *the student's own* ``nnkit`` modules.

    In the student release the notebook sits next to the ``nnkit/`` folder the
    student fills in; opened inside the course repository it falls back to
    the reference solution (and ``autograder`` for the data).
    """
    return code(
        f'''
        import sys
        from pathlib import Path

        import numpy as np
        import matplotlib.pyplot as plt

        if not Path("nnkit").is_dir():
            # Opened inside the course repository (instructors): use the reference solution.
            here = Path.cwd().resolve()
            repo = next((p for p in [here, *here.parents] if (p / "solutions" / "nnkit").is_dir()), None)
            if repo is not None:
                sys.path[:0] = [str(repo / "solutions"), str(repo)]

        # Re-import nnkit/*.py when you edit them, without restarting the kernel.
        %load_ext autoreload
        %autoreload 2

        from nnkit import {modules}

        np.set_printoptions(precision=4, suppress=True)
        '''
    )


GRADCHECK_MD = md(
    r"""
    ### Checking gradients numerically

    A gradient we derived by hand is checked against **central differences**: for
    $L(x) = \sum_j f_j(x)\,\frac{\partial L}{\partial f_j}$ and each entry $x_i$,

    $$\frac{\partial L}{\partial x_i} \approx \frac{L(x + h\,e_i) - L(x - h\,e_i)}{2h}, \qquad h = 10^{-6},$$

    whose error is $O(h^2)$ (the one-sided difference is only $O(h)$). The two are
    compared with the **relative error** $\max_i \frac{|a_i - n_i|}{\max(10^{-8},\ |a_i| + |n_i|)}$:
    in float64 a correct gradient gives about $10^{-8}$ or less, a wrong one $10^{-2}$ or more.
    The helpers below are all the notebook needs; `gradient_table` prints one line per gradient.
    """
)

GRADCHECK = code(
    '''
    def numeric_gradient(f, x, dout=None, h=1e-6):
        """Gradient of L(x) = sum(f(x) * dout) with respect to x, by central differences.

        f: function of one array shaped like x; dout: dL/df shaped like f(x) (None: L = sum f).
        """
        point = np.array(x, dtype=np.float64)  # our own copy: the caller's array stays as it was
        weight = 1.0 if dout is None else np.asarray(dout, dtype=np.float64)
        grad = np.zeros_like(point)
        for i in np.ndindex(point.shape):
            saved = point[i]
            point[i] = saved + h
            up = np.sum(f(point) * weight)
            point[i] = saved - h
            down = np.sum(f(point) * weight)
            point[i] = saved
            grad[i] = (up - down) / (2 * h)
        return grad


    def rel_error(a, b):
        """CS231n's relative error, max over entries of |a - b| / max(1e-8, |a| + |b|)."""
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if a.shape != b.shape:
            raise ValueError(f"the gradient has shape {a.shape}, its input has shape {b.shape}")
        return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


    def backward_rows(name, forward, backward, **inputs):
        """Check backward(dout, *inputs) against central differences of forward(*inputs).

        Returns one (label, analytic, numeric) row per input, for gradient_table;
        (label, None, None) if a function still raises NotImplementedError.
        """
        values = list(inputs.values())
        try:
            # positive upstream gradients: batch sums of same-sign terms do not cancel to ~0,
            # where the relative error of central differences would be meaningless
            dout = np.random.default_rng(1).uniform(0.5, 1.5, size=np.shape(forward(*values)))
            grads = backward(dout, *values)
        except NotImplementedError:
            return [(name, None, None)]
        if len(values) == 1:
            grads = (grads,)
        rows = []
        for k, key in enumerate(inputs):
            def f_k(v, k=k):
                return forward(*values[:k], v, *values[k + 1:])
            rows.append((f"{name}  d{key}", grads[k], numeric_gradient(f_k, values[k], dout)))
        return rows


    def param_rows(name, loss_and_grads, params):
        """Check loss_and_grads(params) -> (loss, grads) against central differences.

        One (label, analytic, numeric) row per parameter, the others held fixed.
        """
        loss, grads = loss_and_grads(params)
        rows = []
        for key, value in params.items():
            def loss_of(v, key=key):
                return loss_and_grads({**params, key: v})[0]
            rows.append((f"{name}  d{key}", grads[key], numeric_gradient(loss_of, value)))
        return rows


    def gradient_table(rows):
        """Print one line per (label, analytic, numeric) row; return the largest relative error."""
        worst = 0.0
        print(f"{'gradient':<40}{'shape':>12}{'rel. error':>12}")
        for label, analytic, numeric in rows:
            if numeric is None:
                print(f"{label:<40}{'':>12}{'':>12}  not written yet")
                worst = np.inf
                continue
            if np.shape(analytic) != np.shape(numeric):
                print(f"{label:<40}{str(np.shape(numeric)):>12}{'':>12}  <-- look at this one: "
                      f"shape {np.shape(analytic)}, but a gradient has the shape of its input")
                worst = np.inf
                continue
            err = rel_error(analytic, numeric)
            worst = max(worst, err)
            verdict = "ok" if err < 1e-6 else "<-- look at this one"
            print(f"{label:<40}{str(np.shape(numeric)):>12}{err:>12.1e}  {verdict}")
        print(f"max relative error: {worst:.1e}")
        return worst
    '''
)

DIGITS = code(
    '''
    def load_digits():
        """The 8x8 handwritten digits with the course's fixed 80/20 split.

        Returns X_train (1438, 64), y_train (1438,), X_test (359, 64), y_test (359,):
        pixels scaled to [0, 1], labels 0..9. The file data/digits.npz ships with the homework.
        """
        path = Path("data/digits.npz")
        if not path.exists():  # inside the course repository
            from autograder.data import load_digits_split
            return load_digits_split()
        with np.load(path, allow_pickle=False) as data:
            X = data["images"].astype(np.float64) / 16.0
            y = data["labels"].astype(np.int64)
            train, test = data["train_idx"], data["test_idx"]
        return X[train], y[train], X[test], y[test]


    X_train, y_train, X_test, y_test = load_digits()
    print("train", X_train.shape, "test", X_test.shape, "classes", np.unique(y_train))
    '''
)


def check_cell(*questions: str) -> tuple[str, str]:
    """The last cell of an exercise section: ``nnkit_check.check(...)`` of its questions.

    It prints the table of ``python -m nnkit_check`` for those questions (the public
    tests and gradient checks of the student's files, as they are now). Without the
    release's ``nnkit_check/`` next to the notebook it says so instead of failing.
    """
    listed = ", ".join(f'"{q}"' for q in questions)
    return code(
        f'''
        # Your public tests and gradient checks of question{"s" if len(questions) > 1 else ""} {", ".join(questions)}, as a table
        # (the same as `python -m nnkit_check {" ".join(questions)}` in a terminal).
        try:
            import nnkit_check
        except ImportError:
            print("nnkit_check/ is not next to this notebook: it comes with the student release")
        else:
            nnkit_check.check({listed})
        '''
    )
