"""2.6 Minibatches and the training loop (10 points).

``train`` is graded with the grader's own loss (softmax regression, run on
the trusted side by callback), so a bug in the student's network costs
nothing here. It grades only what is new in ``train`` — the loop, the
shuffles, the optimiser state across batches and epochs — and not the
update rules of 2.5 again: the student's ``train`` passes when it equals the
reference ``train`` run with the reference's helpers, or with the student's
own ``minibatch_indices``, or with the student's own update rules and
``minibatch_indices`` (called through the worker). So a wrong ``rmsprop_step``
costs in 2.5 only, and any correct shuffling is graded exactly.
"""

import numpy as np

from autograder.authoring import CheckFailed, FunctionRef, question
from autograder.grading.checks import check_value

RULES = ("optim.gd_step", "optim.momentum_step", "optim.nesterov_step", "optim.rmsprop_step", "optim.adam_step")
# the helpers train may be built on, tried in order: the student's minibatch_indices, then also their rules
BUILT_ON = [("optim.minibatch_indices",), ("optim.minibatch_indices", *RULES)]
PROBE = FunctionRef("batch_probe")  # its loss tells which samples each batch held
NAN_STANDIN = 1.234e300


def softmax_case(rng, n=10, d=4, c=3):
    """``(params, X, y, loss_fn)`` for ``train``: softmax regression W (c, d), b (c,) on X (n, d)."""
    params = {"W": 0.1 * rng.standard_normal((c, d)), "b": 0.1 * rng.standard_normal(c)}
    loss = FunctionRef("softmax_regression", {"reg": 0.01})
    return params, rng.standard_normal((n, d)), rng.integers(0, c, n), loss


def nan_as_number(value):
    """``value`` (arrays, floats, in dicts, lists, tuples) with NaN replaced by one large number: a
    student's update rule that gives NaN makes the replay give NaN at the same places, and there
    the student's ``train`` did just what it should."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.where(np.isnan(value), NAN_STANDIN, value)
    if isinstance(value, float) and np.isnan(value):
        return NAN_STANDIN
    if type(value) in (list, tuple):
        return type(value)(nan_as_number(v) for v in value)
    if type(value) is dict:
        return {k: nan_as_number(v) for k, v in value.items()}
    return value


def train_reason(got, want):
    """Why ``got`` is not the answer ``want`` of ``train`` (None if it is): compared as they are,
    else with NaN as one number on both sides (``nan_as_number``)."""
    reason = check_value(got, want, "train")
    if reason and check_value(nan_as_number(got), nan_as_number(want), "train") is None:
        return None
    return reason


def check_train(q, *args, case=None, **kwargs):
    """``train(*args, **kwargs)`` against the reference, with the reference's helpers or the student's
    (see the module docstring); CheckFailed with the difference from the plain reference otherwise,
    followed by ``(case)`` when given."""
    return q.check("optim.train", *args, case=case, built_on=BUILT_ON, reason_of=train_reason, **kwargs)


def partition(q, n, batch_size, seed):
    """A check: ``minibatch_indices(n, batch_size, seed)`` cuts a permutation of range(n) in order,
    the last batch smaller, and the same seed gives the same batches."""
    got = q.call("optim.minibatch_indices", n, batch_size, seed)
    if type(got) not in (list, tuple) or not all(type(b) is np.ndarray for b in got):
        raise CheckFailed(f"expected a list of index arrays, got {type(got).__name__}")
    if not all(b.dtype.kind in "iu" for b in got):
        raise CheckFailed("index arrays must have an integer dtype")
    sizes = [len(b) for b in got]
    want = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    if sizes != want:
        raise CheckFailed(f"n = {n}, batch_size = {batch_size}: batch sizes {sizes}, expected {want}")
    if sorted(np.concatenate(got).tolist()) != list(range(n)):
        raise CheckFailed(f"n = {n}: the batches together must hold every index 0..{n - 1} exactly once")
    again = q.call("optim.minibatch_indices", n, batch_size, seed)
    if len(again) != len(got) or not all(np.array_equal(a, b) for a, b in zip(got, again)):
        raise CheckFailed("the same seed must give the same batches")


@question("2.6.1", points=4)
def test_minibatch_indices(q):
    """minibatch_indices: a permutation of range(n) cut in order, last batch smaller, shuffled by the seed"""
    seed = int(q.rng.integers(0, 10_000))
    bs = int(q.rng.integers(3, 6))
    n = bs * int(q.rng.integers(2, 4)) + int(q.rng.integers(1, bs))
    with q.part(4, "minibatch_indices: n not a multiple, a multiple, batch_size > n; shuffled, the seed matters"):
        partition(q, n, bs, seed)
        partition(q, 2 * bs, bs, seed + 1)
        partition(q, n, n + 2, seed + 2)
        orders = [np.concatenate(q.call("optim.minibatch_indices", 20, 5, s)).tolist() for s in (seed, seed + 1)]
        if orders[0] == list(range(20)):
            raise CheckFailed("the indices came in order 0..19: the permutation is not shuffled")
        if orders[0] == orders[1]:
            raise CheckFailed("two seeds gave the same order: the seed is not used")


@question("2.6.2", points=6)
def test_train(q):
    """train: every optimiser over several batches and epochs, one loss per update, fresh shuffles, bad names"""
    params, X, y, loss = softmax_case(q.rng)
    with q.part(6, "train: gd and the five minibatch optimisers, losses, shuffles, unknown names raise"):
        check_train(q, params, X, y, loss, optimizer="gd", lr=0.5, epochs=3, case="gd, 3 epochs")
        for opt, hyper in (("sgd", {}), ("momentum", {"momentum": 0.8}), ("nesterov", {"momentum": 0.7}),
                           ("rmsprop", {"decay": 0.9}), ("adam", {"beta1": 0.8, "beta2": 0.99})):
            # 3 batches per epoch, 3 epochs: the state crosses batches and epochs (Adam's t counts all updates)
            check_train(q, params, X, y, loss, optimizer=opt, lr=0.1, batch_size=4, epochs=3, seed=3, **hyper,
                        case=f"{opt}, 3 batches × 3 epochs")
        batches_of_each_update(q)
        q.check_raises("optim.train", params, X, y, loss, optimizer="adagrad")
        q.check_raises("optim.train", params, X, y, loss, optimizer="sgd", momentum=0.9)


def batches_of_each_update(q, n=10, bs=4, epochs=3):
    """A check: the samples each update saw, read from the losses of ``batch_probe`` (Σ 2^index
    over the batch): ceil(n / batch_size) updates per epoch, a fresh shuffle every epoch (seed +
    epoch), as in the reference ``train`` with the reference's or the student's
    ``minibatch_indices``. A mismatch is explained by the first property it breaks, if any."""
    X = np.column_stack([np.arange(n, dtype=np.float64), np.ones(n)])
    args = ({"W": np.zeros((2, 2)), "b": np.zeros(2)}, X, np.zeros(n, dtype=np.int64), PROBE)
    kwargs = dict(optimizer="sgd", lr=0.1, batch_size=bs, epochs=epochs, seed=int(q.rng.integers(0, 1000)))
    try:
        check_train(q, *args, **kwargs, case="the samples of each update")
    except CheckFailed:
        explain_batches(q.call("optim.train", *args, **kwargs), n, bs, epochs)
        raise


def explain_batches(got, n, bs, epochs):
    """CheckFailed naming what is wrong with the batches ``train`` used (``got`` its answer on the
    probe), or nothing when no property is broken."""
    per = -(-n // bs)
    losses = got[1] if type(got) in (tuple, list) and len(got) == 2 else None
    if type(losses) not in (list, tuple) or len(losses) != epochs * per:
        raise CheckFailed(f"n = {n}, batch_size = {bs}, {epochs} epochs: expected {epochs * per} losses (one per "
                          f"update), got {len(losses) if type(losses) in (list, tuple) else 'none'}")
    batches = [frozenset(i for i in range(n) if int(loss) >> i & 1) for loss in losses]
    per_epoch = [batches[e * per:(e + 1) * per] for e in range(epochs)]
    for e, epoch in enumerate(per_epoch):
        if sorted(i for b in epoch for i in b) != list(range(n)):
            raise CheckFailed(f"epoch {e}: the batches do not cover every sample exactly once")
    if per_epoch[0] == [frozenset(range(k, min(k + bs, n))) for k in range(0, n, bs)]:
        raise CheckFailed("the first epoch visits the samples in order: the data is not shuffled")
    if any(per_epoch[e] == per_epoch[e - 1] for e in range(1, epochs)):
        raise CheckFailed("two epochs used the same batches: shuffle afresh every epoch (seed + epoch)")
