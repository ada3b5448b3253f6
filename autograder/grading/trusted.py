"""Grader functions that run on the trusted side on the worker's behalf: callbacks and procedures.

Whatever runs in the worker is readable by the submission, so a callable
that computes something a question does not give away (a loss with its
gradient, an update rule such as Adam, an ``f`` whose closure holds its own
Jacobian) must not live in ``callables.py``. It lives here, and a student
function receives a *stub* instead:

- A hidden test names it like any callable, ``FunctionRef("softmax_regression",
  {"reg": 0.01})``; the name alone decides where it runs: ``FUNCTIONS`` below
  (trusted, by callback) or ``callables.FUNCTIONS`` (in the worker; only what
  the question gives away). The reference's side of a test
  (``autograder.authoring.calls``) builds the same function locally
  (``make_local``).
- Before sending a request, the client replaces each trusted ``FunctionRef``
  by ``FunctionRef("trusted:<k>")`` (``detach``): its parameters never reach
  the worker. The worker turns that into a stub; calling the stub sends a
  ``callback`` frame ``{"op": "callback", "call": <request id>, "ref": k}``
  with ``[args, kwargs]``; the client evaluates the function here (``answer``)
  and replies ``{"ok": true}`` with the value, or ``{"ok": false, "error":
  ...}``, which the stub raises as ``GraderCallbackError``.
- Bounded: the question's deadline covers every callback of a call (the
  client reads with it); at most ``MAX_CALLBACKS`` per call; each function
  checks its inputs and refuses work above ``MAX_WORK`` multiply-adds before
  computing. A stub kept from an earlier call, or called from another thread,
  is refused in the worker without a frame sent (``worker._callback_refusal``);
  a stale ``call`` id that still arrives (a patched worker) is refused here.

Procedures (``"@name"`` targets of a test's calls, ``authoring.calls.call_student``,
e.g. the minibatch Adam loop that trains a student's CNN in hw3) run here
too; every student function they use is called through the worker, one call
per step, so nothing in the worker that the submission could replace
decides a grade.

Trusted code: it may import anything (never copied into the sandbox).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from autograder.worker import callables
from autograder.worker.protocol import FunctionRef, Rejected

TRUSTED_PREFIX = "trusted:"
MAX_CALLBACKS = 100_000     # callbacks in one call into the worker (~0.5 ms each: the deadline bites first)
MAX_WORK = 20_000_000       # multiply-adds of one callback evaluation (2.6 needs ~100)


class CallbackRefused(ValueError):
    """A callback's arguments are unusable; ``str()`` is told to the student's code."""


# -- trusted functions -----------------------------------------------------

def _float_array(value, name: str, ndim: int) -> np.ndarray:
    """``value`` as a float64 array of ``ndim`` dimensions; CallbackRefused naming ``name`` otherwise."""
    if isinstance(value, Rejected):
        raise CallbackRefused(f"{name} could not be sent to the grader ({value.what})")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise CallbackRefused(f"{name} is not an array of numbers ({type(exc).__name__})") from None
    if arr.ndim != ndim:
        raise CallbackRefused(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    return arr


def _labels(value, n: int, classes: int) -> np.ndarray:
    """``y`` as an int array of shape ``(n,)`` with values in ``[0, classes)``."""
    if isinstance(value, Rejected):
        raise CallbackRefused(f"y could not be sent to the grader ({value.what})")
    y = np.asarray(value)
    if y.shape != (n,) or y.dtype.kind not in "iu":
        raise CallbackRefused(f"y must be an integer array of shape ({n},), got {y.dtype} of shape {y.shape}")
    if n and (y.min() < 0 or y.max() >= classes):
        raise CallbackRefused(f"labels must lie in 0..{classes - 1}")
    return y


def softmax_regression(reg=0.0):
    """``loss_fn(params, X, y) -> (loss, grads)`` of softmax regression, ``params = {"W": (C, d), "b": (C,)}``.

    Mean softmax cross-entropy plus ``reg · ||W||²``; ``X (n, d)``, ``y (n,)``
    ints in ``[0, C)``; ``grads`` has ``W (C, d)`` and ``b (C,)``. The grader's
    own loss, so that ``train`` is graded independently of the student's
    network; it answers 2.2 (softmax cross-entropy and its gradient), hence
    trusted: a student's ``train`` reaches it only by callback.
    """
    reg = float(reg)

    def loss_fn(params, X, y):
        if type(params) is not dict or not {"W", "b"} <= set(params):
            raise CallbackRefused("params must be a dict with keys 'W' and 'b'")
        W, b = _float_array(params["W"], "params['W']", 2), _float_array(params["b"], "params['b']", 1)
        X = _float_array(X, "X", 2)
        (C, d), n = W.shape, X.shape[0]
        if b.shape != (C,) or X.shape[1] != d:
            raise CallbackRefused(f"shapes do not fit: W {W.shape}, b {b.shape}, X {X.shape}")
        if n * d * C > MAX_WORK:
            raise CallbackRefused(f"X {X.shape} with W {W.shape} is more work than the grader's loss accepts")
        y = _labels(y, n, C)
        if n == 0:
            raise CallbackRefused("X holds no samples")
        with np.errstate(all="ignore"):
            scores = X @ W.T + b
            scores = scores - scores.max(axis=1, keepdims=True)
            p = np.exp(scores)
            p /= p.sum(axis=1, keepdims=True)
            loss = -np.mean(np.log(p[np.arange(n), y])) + reg * np.sum(W * W)
            dscores = p
            dscores[np.arange(n), y] -= 1.0
            dscores /= n
            grads = {"W": dscores.T @ X + 2.0 * reg * W, "b": dscores.sum(axis=0)}
        return float(loss), grads

    return loss_fn


def affine(A, c):
    """``f(x) = A x + c`` with ``A (m, d)``, ``c (m,)``, ``x (d,)``: the ``f`` of ``numerical_jacobian``.

    Trusted because its Jacobian (lecture layout ``d × m``) is ``A.T``: a
    closure in the worker would hand the answer over.
    """
    A = np.array(A, dtype=np.float64)
    c = np.array(c, dtype=np.float64)

    def f(x):
        if isinstance(x, Rejected):
            raise CallbackRefused(f"x could not be sent to the grader ({x.what})")
        x = np.asarray(x, dtype=np.float64)
        if x.size * A.shape[0] > MAX_WORK:
            raise CallbackRefused(f"x of shape {x.shape} is more work than the grader's f accepts")
        return A @ x + c

    return f


def tanh_affine(A, c):
    """``f(x) = tanh(A x + c)``: Jacobian ``A.T * (1 - f(x)²)`` (columns scaled); trusted like ``affine``."""
    g = affine(A, c)

    def f(x):
        return np.tanh(g(x))

    return f


# name -> factory(**args) -> callable, evaluated here by callback (never shipped to the worker)
FUNCTIONS = {
    "softmax_regression": softmax_regression,
    "affine": affine,
    "tanh_affine": tanh_affine,
}
assert not set(FUNCTIONS) & set(callables.FUNCTIONS), "a callable name must say where it runs"


def is_trusted(ref: FunctionRef) -> bool:
    """Does ``ref`` name a function of this module (run here by callback)?"""
    return ref.name in FUNCTIONS


def make_local(name: str, args: dict):
    """The callable ``name`` built on the trusted side: ``FUNCTIONS`` here, else ``callables``'."""
    if name in FUNCTIONS:
        return FUNCTIONS[name](**args)
    return callables.make(name, args)


# -- the callback route ------------------------------------------------------

def detach(value):
    """``(value', handlers)``: every trusted FunctionRef in ``value`` replaced by ``FunctionRef("trusted:k")``.

    ``handlers[k]`` is the function built here; the worker sees only ``k``.
    Walks the plain-data tree a request carries (lists, tuples, dicts).
    """
    handlers: list = []

    def walk(v):
        if isinstance(v, FunctionRef):
            if is_trusted(v):
                handlers.append(make_local(v.name, v.args))
                return FunctionRef(f"{TRUSTED_PREFIX}{len(handlers) - 1}")
            return v
        if type(v) in (list, tuple):
            return type(v)(walk(x) for x in v)
        if type(v) is dict:
            return {k: walk(x) for k, x in v.items()}
        return v

    return walk(value), handlers


def answer(header: dict, value, handlers: list, call_id) -> tuple[dict, object]:
    """The reply ``(header, value)`` to one ``callback`` frame of the worker.

    Never raises for anything the worker sent: a stale or unknown reference,
    malformed arguments or a refused input become ``{"ok": False, "error": msg}``.
    """
    ref = header.get("ref")
    if header.get("call") != call_id:
        return _refused("a grader function kept from an earlier call cannot be called later")
    if type(ref) is not int or not 0 <= ref < len(handlers):
        return _refused(f"no grader function number {ref!r} in this call")
    if type(value) is not list or len(value) != 2 or type(value[0]) is not list or type(value[1]) is not dict:
        return _refused("malformed callback arguments")
    args, kwargs = value
    try:
        return {"ok": True}, handlers[ref](*args, **kwargs)
    except CallbackRefused as exc:
        return _refused(str(exc))
    except (TypeError, ValueError, ArithmeticError, IndexError, KeyError, MemoryError) as exc:
        # wrong arity, bad keyword, odd values: the caller's mistake, told to it plainly
        return _refused(f"{type(exc).__name__}: {str(exc)[:200]}")


def _refused(message: str) -> tuple[dict, None]:
    return {"ok": False, "error": str(message)[:300]}, None


# -- procedures run here, calling student functions through the worker --------

def checked_pair(got, params: dict, who: str) -> tuple[float, dict]:
    """Validate a ``(loss, grads)`` pair coming back from the worker: a number, one array per param.

    ``got`` is the decoded reply; ``params`` the dict being trained; ``who``
    names the student function in the StudentCallFailed raised otherwise. Returns
    ``(loss as a float, grads)``. A hidden test may call it first, to explain a failure.
    """
    from autograder.grading.client import StudentCallFailed  # here: the client imports this module

    if type(got) not in (tuple, list) or len(got) != 2:
        raise StudentCallFailed(f"{who} must return (loss, grads)")
    loss, grads = got
    if isinstance(loss, np.ndarray) and loss.ndim == 0:
        loss = loss[()]
    if not isinstance(loss, (int, float, np.integer, np.floating)) or isinstance(loss, bool):
        raise StudentCallFailed(f"{who}: the loss must be a number")
    if type(grads) is not dict:
        raise StudentCallFailed(f"{who}: grads must be a dict")
    for key, p in params.items():
        g = grads.get(key)
        if type(g) is not np.ndarray or g.dtype.kind not in "biuf" or g.shape != p.shape:
            raise StudentCallFailed(f"{who}: grads[{key!r}] must be an array of shape {p.shape} like params[{key!r}]")
    return float(loss), grads


def minibatch_train(loss_fn, params, X, y, lr=0.01, epochs=1, batch_size=32, seed=0, adam=True, cosine=False,
                    who: str = "loss_fn"):
    """Minibatch training with its own shuffling and Adam (or plain SGD): ``(params, losses)``.

    ``loss_fn(params, X_batch, y_batch) -> (loss, grads)``; ``params`` a dict
    of arrays, ``X (n, ...)``, ``y (n,)``; returns the trained dict (same keys
    and shapes, float64) and one loss per update. Used to train a student's
    CNN with the student's ``cnn_loss_and_grads`` (hw3 has no ``train`` of its
    own), so only the CNN's functions are graded. Adam with β1 = 0.9,
    β2 = 0.999, ε = 1e-8, bias-corrected. ``cosine=True`` anneals the step
    size from ``lr`` towards 0 along a half cosine over all updates. A step
    whose ``(loss, grads)`` is unusable raises StudentCallFailed naming ``who``.
    """
    rng = np.random.default_rng(seed)
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v2 = {k: np.zeros_like(v) for k, v in params.items()}
    losses, t = [], 0
    n = X.shape[0]
    updates = int(epochs) * -(-n // int(batch_size))
    for _ in range(int(epochs)):
        order = rng.permutation(n)
        for start in range(0, n, int(batch_size)):
            idx = order[start:start + int(batch_size)]
            loss, grads = checked_pair(loss_fn(params, X[idx], y[idx]), params, who)
            rate = lr * 0.5 * (1.0 + math.cos(math.pi * t / updates)) if cosine else lr
            t += 1
            for k in params:
                g = np.asarray(grads[k], dtype=np.float64)
                if adam:
                    m[k] = 0.9 * m[k] + 0.1 * g
                    v2[k] = 0.999 * v2[k] + 0.001 * g * g
                    step = (m[k] / (1 - 0.9 ** t)) / (np.sqrt(v2[k] / (1 - 0.999 ** t)) + 1e-8)
                else:
                    step = g
                params[k] = params[k] - rate * step
            losses.append(loss)
    return params, losses


# name -> procedure run here (``@name`` targets)
PROCEDURES = {
    "minibatch_train": minibatch_train,
}


def run_procedure(name: str, args: tuple, kwargs: dict, call_student):
    """Run procedure ``name`` here; ``call_student(target, *a, **k)`` reaches the worker.

    A ``FunctionRef("student:module.function", extra)`` argument becomes a
    function that calls the student's function in the worker (with ``extra``
    as keywords); any other FunctionRef is built here (``make_local``).
    """
    if name not in PROCEDURES:
        raise ValueError(f"unknown grader procedure @{name}; known: {sorted(PROCEDURES)}")

    def local(v):
        if isinstance(v, FunctionRef):
            if v.name.startswith("student:"):
                target = v.name[len("student:"):]
                return functools.partial(call_student, target, **v.args)
            return make_local(v.name, v.args)
        return v

    extra = {"who": next((a.name[len("student:"):] for a in (*args, *kwargs.values())
                          if isinstance(a, FunctionRef) and a.name.startswith("student:")), "loss_fn")}
    return PROCEDURES[name](*(local(a) for a in args), **{k: local(v) for k, v in kwargs.items()}, **extra)
