"""The one array comparator (``diagnose``): right or silent, and never the expected values.

One test per diagnosis rule of issue 11, each with its message asserted:
a constant factor only on many entries and never ×1; batch-size factors for
every N; swapped outputs; one-element (shrunk) inputs give no hint; kinks;
the kinds the class report groups by. ``checks`` uses the same comparator.
"""

import numpy as np
import pytest

from autograder.grading.checks import check_array, check_outputs, check_scalar, check_value
from autograder.grading.diagnose import (KINDS, MIN_EVIDENCE, compare_array, diagnose_gradient, diagnose_outputs,
                                         directional_check, infer_batch, kind_of)
from autograder.worker.protocol import Rejected


@pytest.fixture
def E():
    """A 4×3 'expected gradient' with no zero entries."""
    return np.random.default_rng(0).standard_normal((4, 3))


def likely(got, expected, **kw):
    d = compare_array(got, expected, "dW", **kw)
    assert not d.ok
    return d


def test_right_gradient_passes_within_float_noise(E):
    d = compare_array(E * (1 + 1e-12), E, "dW")
    assert d.ok and d.message == "dW: ok" and d.likely is None


@pytest.mark.parametrize("factor,text,kind", [(2.0, "twice too large", "factor"),
                                              (0.5, "half the right size", "factor"),
                                              (-1.0, "wrong sign", "sign"),
                                              (3.7, "off by a constant factor ×3.7", "factor"),
                                              (-4.346, "off by a constant factor ×-4.346", "sign")])
def test_constant_factor_named_when_every_entry_shows_it(E, factor, text, kind):
    d = likely(factor * E, E)
    assert d.message.endswith("— likely " + d.likely) and text in d.likely and d.kind == kind


def test_constant_factor_needs_one_ratio_on_many_entries_and_is_never_x1(E):
    noisy = E * np.random.default_rng(1).uniform(1.5, 2.5, E.shape)   # ratios differ per entry
    assert likely(noisy, E).likely is None
    near_miss = E * (1 + 3e-6)        # an honest float32-precision answer: off, but by no factor
    d = likely(near_miss, E)
    assert d.likely is None and "×1" not in d.message and "factor" not in d.message
    few = np.array([1.0, 2.0, 3.0])   # MIN_EVIDENCE - 1 entries: too few to call it a factor
    assert few.size < MIN_EVIDENCE and likely(-4.346 * few, few).likely is None
    with_zero = E.copy()
    with_zero[0, 0] = 0.0             # a zero expected entry must stay zero under a factor
    bad = 2 * with_zero
    bad[0, 0] = 0.7
    assert likely(bad, with_zero).likely is None


@pytest.mark.parametrize("n", [2, 3, 4, 7])
def test_batch_size_factors_are_named_for_every_n(n):
    expected = np.random.default_rng(n).standard_normal((n, 3))
    too_small = likely(expected / n, expected, batch=n)
    too_large = likely(expected * n, expected, batch=n)
    assert too_small.kind == too_large.kind == "batch size"
    assert f"batch size N = {n}" in too_small.message or f"N = {n} times too small" in too_small.message
    assert "batch size" in too_large.message
    if n == 2:  # ×0.5 and ×2 are also "a factor 2": both explanations are given
        assert "×0.5" in too_small.message and "factor 2 missing" in too_small.message
        assert "×2" in too_large.message and "factor 2 counted twice" in too_large.message
    else:
        assert f"×1/{n}: N = {n} times too small: divided by the batch size once too often" in too_small.message
        assert f"×{n}: N = {n} times too large: forgot to divide by the batch size" in too_large.message
    assert "wrong sign" in likely(-expected * n, expected, batch=n).message
    db = expected[:, 0][:2]             # two distinct entries suffice for a named factor
    assert likely(db / n, db, batch=n).kind == "batch size"
    assert likely(db * 3.7, db, batch=n).likely is None    # ... but not for an arbitrary one


def test_swapped_outputs_are_recognised():
    rng = np.random.default_rng(2)
    dout, x, y = rng.standard_normal((3, 2, 3))
    right = (dout * y, dout * x)        # mul_backward: dx = dout·y, dy = dout·x
    both = diagnose_outputs((right[1], right[0]), right, ("dx", "dy"))
    assert [d.kind for d in both] == ["swapped", "swapped"]
    assert both[0].message.endswith("— likely dx and dy swapped? (your dx is what dy should be, and the reverse)")
    assert "dy and dx swapped?" in both[1].message
    one = diagnose_outputs((right[1], right[1]), right, ("dx", "dy"))
    assert one[1].ok and one[0].likely == "your dx is what dy should be (the wrong gradient returned?)"
    assert check_outputs((right[1], right[0]), right, ("dx", "dy"))[0] == both[0].message
    assert "dx and dy swapped?" not in str(diagnose_outputs(right, right, ("dx", "dy")))
    same = (dout * x, dout * x)         # x == y: the two answers coincide, a swap cannot be told
    assert all(d.ok for d in diagnose_outputs(same, same, ("dx", "dy")))


@pytest.mark.parametrize("shape", [(1,), (1, 1), (2,), (1, 3)])
@pytest.mark.parametrize("factor", [0.3638, -4.346, -1.0, 2.0])
def test_one_element_inputs_never_give_a_confident_hint(shape, factor):
    """Hypothesis shrinking leaves one entry, or a few of one value: any ratio fits them, so nothing is claimed."""
    expected = np.full(shape, 0.75)
    d = likely(expected * factor, expected, batch=2)
    assert d.likely is None and d.kind is None and "likely" not in d.message
    assert likely(np.zeros(shape), expected).likely is None                 # "all zeros" needs evidence too
    x = np.zeros(shape)
    assert likely(expected + 1.0, expected, kinks=(x == 0)).likely is None  # all at the kink: nothing is right
    assert "likely" not in diagnose_outputs((expected, -expected), (-expected, expected), ("dx", "dy"))[0].message
    assert check_scalar(1.5 * factor, 1.5, "loss") == f"loss: {1.5 * factor:.8g} is wrong (relative error " \
        f"{abs(1.5 * factor - 1.5) / (abs(1.5 * factor) + 1.5):.2g})"


def test_wrong_only_at_kinks():
    x = np.array([[1.0, 0.0, -2.0], [0.0, 3.0, -1.0]])
    dout = np.random.default_rng(3).standard_normal(x.shape)
    right = np.where(x > 0, dout, 0.0)
    wrong = np.where(x >= 0, dout, 0.0)
    d = compare_array(wrong, right, "dx", kinks=(x == 0))
    assert d.kind == "kink" and d.message.endswith(
        "— likely wrong only at kinks (where the input is exactly 0 or tied): check the strict/non-strict comparison")
    elsewhere = right.copy()
    elsewhere[0, 0] += 1.0               # also wrong away from the kinks: not a kink bug
    assert compare_array(np.where(x == 0, dout, elsewhere), right, "dx", kinks=(x == 0)).likely is None


def test_messages_never_show_the_expected_values():
    expected = np.array([[1234.5678, -987.654], [55.5, 0.123456]])
    got = expected.copy()
    got[1, 0] = 60.0
    d = compare_array(got, expected, "out")
    assert d.message == "out: 1 of 4 entries wrong (relative error 0.039); largest error 4.5 at index (1, 0)"
    assert d.expected == 55.5 and d.yours == 60.0     # kept for the caller, never printed
    labels = np.array([3, 1, 4, 1])
    assert check_array(np.array([3, 1, 5, 1]), labels, "y") == "y: 1 of 4 entries wrong, first at index (2,)"
    assert check_scalar(3, 2, "H_out") == "H_out: 3 is wrong (off by one)"
    for text in (d.message, check_scalar(2.0, 1234.5678, "loss"),
                 check_array(np.array([np.inf, 1.0]), np.array([1234.5678, 1.0]), "p")):
        assert "1234" not in text and "1.23e" not in text and "55.5" not in text


def test_shapes_types_and_not_finite():
    rng = np.random.default_rng(4)
    batch = rng.standard_normal((5, 4, 3))
    assert likely(batch.sum(axis=0), batch).message.endswith("— likely summed over the batch (axis 0) where it should not be")
    d = likely(batch[0].T.copy(), batch[0])
    assert d.message == "dW: shape (3, 4), expected (4, 3) — likely transposed" and d.kind == "transposed"
    db = rng.standard_normal(3)
    assert "keepdims=True?" in likely(db[None, :], db).message
    assert "a scalar where an array" in likely(np.float64(1.0), db).message
    assert "got an array of dtype object" in likely(Rejected("an array of dtype object"), db).message
    assert "got None (a missing return?)" in likely(None, db).message
    assert "got a list" in likely([1.0, 2.0, 3.0], db).message
    assert likely(db.astype(np.float32), db).message == "dW: dtype float32, expected float64"
    blown = likely(np.array([np.nan, 1.0, 2.0]), db)
    assert blown.message.startswith("dW: contains nan at index (0,) where the answer is finite") and blown.kind == "not finite"
    assert likely(np.zeros((4, 3)), batch[0]).kind == "zeros"


def test_transposed_square_and_flipped_kernel():
    rng = np.random.default_rng(5)
    sq = rng.standard_normal((3, 3))
    assert likely(sq.T.copy(), sq).likely == "transposed"
    w = rng.standard_normal((2, 1, 3, 3))
    assert likely(w[..., ::-1, ::-1].copy(), w).kind == "flipped kernel"


def test_checks_use_the_same_comparator(E):
    assert check_array(2 * E, E, "dW") == compare_array(2 * E, E, "dW").message
    assert check_value((E, 2 * E), (E, E), "out") == compare_array(2 * E, E, "out[1]").message
    assert check_value(E / 4, E, "db", batch=4).endswith("N = 4 times too small: divided by the batch size once too often")
    assert diagnose_gradient(E, E, "dW").ok  # the historical name is the same function


def test_infer_batch():
    assert infer_batch(np.ones(3), np.ones((5, 2)), np.ones((2, 2))) == 5
    assert infer_batch(1.0, np.ones(3)) is None


def test_kinds_of_every_hint_and_failure():
    rng = np.random.default_rng(6)
    e = rng.standard_normal((4, 3))
    for value, kw, kind in [(2 * e, {}, "factor"), (-e, {}, "sign"), (e / 4, {"batch": 4}, "batch size"),
                            (np.zeros_like(e), {}, "zeros"), (e.T.copy(), {}, "transposed"),
                            (e[None], {}, "shape")]:
        d = likely(value, e, **kw)
        assert d.kind == kind and kind_of(d.likely or d.message) == kind, (kind, d.message)
    texts = {"transposed": "transposed", "kink": "wrong only at kinks (where the input is exactly 0 or tied)",
             "swapped": "dx and dy swapped? (your dx is what dy should be, and the reverse)",
             "not implemented": "gates.add_forward: NotImplementedError: not implemented yet",
             "crash": "raises ValueError", "timeout": "timeout (an infinite loop or far too slow)",
             "not finite": "not numerically stable (an overflow in exp? a division by 0?)",
             "wrong values": "dx: wrong values", "other": "something nobody anticipated"}
    for kind, text in texts.items():
        assert kind in KINDS and kind_of(text) == kind, (kind, text)


def test_directional_check_catches_a_flipped_kernel_that_positive_directions_miss():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 3))
    k = rng.standard_normal((3, 3))

    def f(v):  # a "convolution" at one position: sum(v * k)
        return np.sum(v * k)

    assert directional_check(f, x, k).ok
    d = directional_check(f, x, k[::-1, ::-1].copy(), seed=3)
    assert not d.ok and d.message.startswith("directional check along random ±1 directions: relative error")


@pytest.mark.slow  # starts a sandboxed worker
def test_a_failure_inside_a_carried_function_names_that_function_and_its_file(tmp_path):
    """network.loss_and_grads is called; the error is raised in the student's (carried) layers.linear_backward."""
    from autograder.grading.client import StudentCallFailed, WorkerClient, where_of

    package = tmp_path / "nnkit"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "layers.py").write_text("def linear_backward(dout, x, W, b):\n"
                                       "    raise ValueError('shapes do not fit')\n")
    (package / "network.py").write_text("from nnkit.layers import linear_backward\n\n\n"
                                        "def loss_and_grads(params, X, y, reg=0.0):\n"
                                        "    return linear_backward(X, X, params['W1'], params['b1'])\n")
    with WorkerClient(tmp_path) as client:
        with pytest.raises(StudentCallFailed) as failed:
            client.call("network.loss_and_grads", {"W1": np.ones((2, 3)), "b1": np.ones(2)}, np.ones((4, 3)),
                        np.zeros(4, dtype=np.int64))
    assert failed.value.reason == ("network.loss_and_grads raised: ValueError: ‹shapes do not fit› "
                                   "(layers.py line 2, in layers.linear_backward)")
    odd = {"type": "ValueError", "message": "x", "where": "layers.py line 2", "function": "f\u202eoo"}
    assert where_of(odd) == "layers.py line 2"  # a name that is not plain ASCII is left out


@pytest.mark.slow  # grades hw1
def test_swapped_gradients_are_named_when_grading(tmp_path):
    """The hidden tests see the whole tuple: the bank's swapped mul_backward is diagnosed as such."""
    from autograder.grading import grade_submission
    from autograder.instructor.bank import build_submission, load_bank
    from autograder.repo import homework_from_repo

    entry = next(e for e in load_bank("hw1_backprop", "buggy") if e.name == "mul_backward_swapped")
    build_submission(entry, tmp_path / "sub")
    results = grade_submission(tmp_path / "sub", *homework_from_repo("hw1_backprop"))
    output = "\n".join(t["output"] for t in results["tests"] if t["score"] < t["max_score"])
    assert "— likely dx and dy swapped? (your dx is what dy should be, and the reverse)" in output
