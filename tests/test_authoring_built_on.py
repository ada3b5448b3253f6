"""``built_on=`` (a later function graded on its own) and the blame hint (a wrong earlier function named).

The option is tested in process (``test_authoring.InProcessClient``: no worker);
the hint on hw2's own hidden tests 2.4 and 2.9 with real submissions in the
sandboxed worker (a homework folder holding only those tests, to keep it short).
Costs are counted in calls into the worker, never in seconds.
"""

import json
import shutil

import numpy as np
import pytest

from autograder.authoring import blame as blame_module
from autograder.authoring.calls import Reference
from autograder.grading.client import WorkerClient
from autograder.grading.runner import content_seed, run_hidden_tests
from autograder.grading.submission import collect_submission
from autograder.instructor.bank import build_submission, load_entry, write_reference
from autograder.repo import homework_from_repo
from grading_support import ROOT
from test_authoring import REFERENCE, InProcessClient, run

HW2 = ROOT / "assignments" / "hw2_training"
PREDICT = """
@question("9.1.1", points=2)
def test_predict(q):
    \"\"\"predict on forward\"\"\"
    params = {"W1": q.rng.standard_normal((5, 4)), "b1": q.rng.standard_normal(5),
              "W2": q.rng.standard_normal((3, 5)), "b2": q.rng.standard_normal(3)}
    q.compare(2, "network.predict", params, q.rng.standard_normal((12, 4))BUILT_ON)
"""


FORWARD = REFERENCE("network.forward")   # taken now: built_on patches the module's name ``forward``


def wrong_forward(params, X):
    """The reference's scores with class 1 favoured: its argmax is not the reference's labels."""
    return FORWARD(params, X) + np.array([0.0, 3.0, 0.0])


def predict_on_wrong_forward(params, X):
    """A right predict built on ``wrong_forward`` (as a student's predict calls their own forward)."""
    return np.argmax(wrong_forward(params, X), axis=1).astype(np.int64)


def all_zeros(params, X):
    return np.zeros(len(X), dtype=np.int64)


def line(outcome) -> str:
    return outcome.output.splitlines()[0]


# -- built_on ------------------------------------------------------------------

def test_an_answer_built_on_the_students_helper_gets_the_part_another_loses_it_against_the_reference(tmp_path):
    source = PREDICT.replace("BUILT_ON", ', built_on=("network.forward",)')
    students = {"network.forward": wrong_forward}
    right = run(tmp_path, source, {**students, "network.predict": predict_on_wrong_forward})["9.1.1"]
    assert right.score == 2, right.output
    wrong = run(tmp_path, source, {**students, "network.predict": all_zeros})["9.1.1"]
    # the reason is the one against the plain reference (what a check without built_on says)
    plain = run(tmp_path, PREDICT.replace("BUILT_ON", ""), {**students, "network.predict": all_zeros})["9.1.1"]
    assert wrong.score == 0 and plain.score == 0
    assert line(wrong).split(" — hint")[0] == line(plain).split(" — hint")[0]
    assert "predict" in line(wrong)
    # without built_on the same right-on-its-own-forward predict loses the part
    assert run(tmp_path, PREDICT.replace("BUILT_ON", ""),
               {**students, "network.predict": predict_on_wrong_forward})["9.1.1"].score == 0


def test_alternatives_of_helpers_are_tried_in_order_and_reason_of_replaces_the_comparison(tmp_path):
    alternatives = PREDICT.replace("BUILT_ON", ', built_on=[("network.init_params",), ("network.forward",)]')
    students = {"network.forward": wrong_forward, "network.predict": predict_on_wrong_forward}
    assert run(tmp_path, alternatives, students)["9.1.1"].score == 2     # the second set explains it
    shapes_only = PREDICT.replace("BUILT_ON", ", reason_of=lambda got, want: None if got.shape == want.shape else 'no'")
    assert run(tmp_path, shapes_only, {"network.predict": all_zeros})["9.1.1"].score == 2
    unknown = PREDICT.replace("BUILT_ON", ', built_on=("network.nothing_like_this",)')
    failed = run(tmp_path, unknown, {"network.predict": all_zeros})["9.1.1"]
    assert "grader error" in failed.output and "no function nothing_like_this" in failed.output, failed.output


# -- the blame hint, in process ---------------------------------------------------------

def test_an_earlier_function_of_the_same_homework_is_named_with_its_file_and_question(tmp_path):
    manifest = {"carried": [], "questions": [{"number": "2.3", "functions": ["network.forward"]}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    got = run(tmp_path, PREDICT.replace("BUILT_ON", ""),
              {"network.forward": wrong_forward, "network.predict": predict_on_wrong_forward})["9.1.1"]
    assert got.score == 0
    assert ("— hint: predict calls network.forward (nnkit/network.py, graded in 2.3), which is wrong on the "
            "inputs it gets here: forward:") in line(got), line(got)


def test_a_correct_helper_is_not_named(tmp_path):
    got = run(tmp_path, PREDICT.replace("BUILT_ON", ""), {"network.predict": all_zeros})["9.1.1"]
    assert got.score == 0 and "hint" not in got.output, got.output


def test_a_helper_that_raises_is_named_and_a_stub_helper_is_not(tmp_path):
    def raises(params, X):
        raise ValueError("no")

    def stub(params, X):
        raise NotImplementedError

    named = run(tmp_path, PREDICT.replace("BUILT_ON", ""),
                {"network.forward": raises, "network.predict": all_zeros})["9.1.1"]
    assert "hint: predict calls network.forward (nnkit/network.py), which fails on the inputs it gets here: " \
           "network.forward raised: ValueError: no" in line(named), line(named)

    class StubClient(InProcessClient):   # a stub in the worker: the client's "missing" kind
        def call(self, target, *args, timeout=None, **kwargs):
            from autograder.grading.client import StudentCallFailed
            if target == "network.forward":
                raise StudentCallFailed(f"{target}: not implemented yet", "missing")
            return super().call(target, *args, timeout=timeout, **kwargs)

    hidden = tmp_path / "hidden_tests"
    (hidden / "test_q9_1_example.py").write_text("import numpy as np\nfrom autograder.authoring import question\n"
                                                 + PREDICT.replace("BUILT_ON", ""))
    outcomes, _ = run_hidden_tests(hidden, StubClient({"network.predict": all_zeros}), REFERENCE)
    assert outcomes[0].score == 0 and "hint" not in outcomes[0].output, outcomes[0].output


# -- the blame hint on hw2's 2.4 and 2.9, in the worker ---------------------------------

class CountingClient:
    """A ``WorkerClient`` that counts calls into the worker (everything else passes through)."""

    def __init__(self, client):
        self._client = client
        self.calls = 0

    def call(self, target, *args, **kwargs):
        self.calls += 1
        return self._client.call(target, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._client, name)


@pytest.fixture(scope="module")
def homework_24_29(tmp_path_factory):
    """hw2's homework folder (manifest.json with carried_origin) holding only its tests 2.4 and 2.9."""
    homework, reference = homework_from_repo("hw2_training")
    dest = tmp_path_factory.mktemp("hw2_24_29")
    shutil.copy2(homework / "manifest.json", dest / "manifest.json")
    (dest / "hidden_tests").mkdir()
    for name in ("test_q2_4_backprop.py", "test_q2_9_digits.py"):
        shutil.copy2(homework / "hidden_tests" / name, dest / "hidden_tests" / name)
    return dest, reference


def grade(sub, homework_and_reference, tmp_path):
    """``({number: output line(s)}, {number: score}, calls into the worker, calls made by blame probes)``."""
    homework, reference = homework_and_reference
    staged, _ = collect_submission(sub, tmp_path / "staged", homework, reference)
    probes = []
    original = blame_module.call_student

    def counted(client, target, *rest):
        probes.append(target)
        return original(client, target, *rest)

    blame_module.call_student = counted
    try:
        with WorkerClient(staged) as worker:
            worker.start()
            client = CountingClient(worker)
            outcomes, errors = run_hidden_tests(homework / "hidden_tests", client, Reference(reference),
                                                seed=content_seed(staged))
    finally:
        blame_module.call_student = original
    assert errors == []
    return ({o.number: o.output for o in outcomes}, {o.number: o.score for o in outcomes}, client.calls, probes)


def carried_mutant(tmp_path, body: str):
    """The reference with hw1's ``layers.linear_backward`` replaced by ``body`` (a carried function)."""
    package = write_reference(tmp_path / "sub", "hw2_training")
    layers = package / "layers.py"
    layers.write_text(layers.read_text() + "\n\ndef linear_backward(dout, x, W, b):\n    " + body + "\n")
    return package.parent


KEEPDIMS = "return dout @ W, dout.T @ x, dout.sum(axis=0, keepdims=True)"
NAMED = "hint: loss_and_grads calls layers.linear_backward (nnkit/layers.py, carried from Homework 1)"


@pytest.mark.slow
def test_a_carried_function_with_db_keepdims_is_named_with_its_file_in_2_4_and_2_9(homework_24_29, tmp_path):
    outputs, scores, _, _ = grade(carried_mutant(tmp_path, KEEPDIMS), homework_24_29, tmp_path)
    for number in ("2.4.1", "2.4.2", "2.4.3", "2.9.1"):
        assert scores[number] == 0, outputs[number]
        assert f"{NAMED}, which is wrong on the inputs it gets here: db: shape (1, " in outputs[number], outputs[number]
    assert "grads['b1'] must be an array of shape (128,)" in outputs["2.9.1"]


@pytest.mark.slow
def test_a_carried_function_with_a_wrong_dw_is_named_in_2_4_and_2_9(homework_24_29, tmp_path):
    outputs, scores, _, _ = grade(carried_mutant(tmp_path, "return dout @ W, -(dout.T @ x), dout.sum(axis=0)"),
                                  homework_24_29, tmp_path)
    for number in ("2.4.1", "2.4.2", "2.4.3", "2.9.1"):
        assert scores[number] == 0, outputs[number]
        assert f"{NAMED}, which is wrong on the inputs it gets here: dW:" in outputs[number], outputs[number]
    assert "the gradients are not those of the batch's loss" in outputs["2.9.1"]


@pytest.mark.slow
def test_a_bug_of_loss_and_grads_itself_names_no_helper_and_costs_a_few_calls(homework_24_29, tmp_path):
    entry = load_entry(HW2 / "bank" / "buggy" / "loss_and_grads_missing_relu_mask.py")
    sub = build_submission(entry, tmp_path / "sub").parent
    outputs, scores, _, probes = grade(sub, homework_24_29, tmp_path)
    assert all(scores[n] == 0 for n in ("2.4.1", "2.4.2", "2.4.3")), outputs
    assert not any("hint" in outputs[n] for n in outputs), outputs
    # one probe per failed part (2.4's three, 2.9's first), each of at most MAX_CALLS calls
    assert 0 < len(probes) <= blame_module.MAX_CALLS * len(outputs)


@pytest.mark.slow
def test_a_stub_submission_names_no_helper_and_makes_no_extra_call(homework_24_29, tmp_path):
    sub = tmp_path / "stub"
    shutil.copytree(ROOT / "student_template" / "nnkit", sub / "nnkit")
    outputs, scores, calls, probes = grade(sub, homework_24_29, tmp_path)
    assert sum(scores.values()) == 0
    assert not any("hint" in o for o in outputs.values()), outputs
    assert probes == []               # no probe ran: not one call more than the checks themselves
    assert calls == 4                 # 2.4's three tests and 2.9's first update: one call each


# -- built_on on q.gradients, and a call that raises where the built-on reference raises --------

POOL_BACKWARD = """
@question("9.1.1", points=2)
def test_pool(q):
    \"\"\"max_pool_backward on max_pool_forward\"\"\"
    x = q.rng.standard_normal((2, 2, 4, 6))
    q.gradients(2, "conv.max_pool_backward", q.rng.standard_normal((2, 2, 2, 3)), x, pool=2, stride=2BUILT_ON)
"""
POOL_FORWARD = REFERENCE("conv.max_pool_forward")
POOL_GRADIENT = REFERENCE("conv.max_pool_backward")
CONV_FORWARD = REFERENCE("conv.conv_forward")
CONV_BACKWARD = REFERENCE("conv.conv_backward")


def min_pool_forward(x, pool=2, stride=2):
    """A wrong max_pool_forward: the minimum of each window."""
    return -POOL_FORWARD(-np.asarray(x), pool, stride)


def on_students(reference, **helpers):
    """``reference`` calling ``helpers`` instead of its module's functions (as a student's own
    function calls their own helpers)."""
    import functools
    from unittest import mock   # here: this part of the file is appended to

    @functools.wraps(reference)   # its signature: the grader checks it
    def built(*args, **kwargs):
        with mock.patch.dict(reference.__globals__, helpers):
            return reference(*args, **kwargs)
    return built


def single_pad_size(size, filter_size, stride=1, pad=0):
    """A wrong conv_output_size (the padding added once): conv_forward's reshape then fails for pad > 0."""
    return (size + pad - filter_size) // stride + 1


def test_a_gradient_built_on_the_students_forward_gets_its_share_another_loses_it_against_the_reference(tmp_path):
    students = {"conv.max_pool_forward": min_pool_forward}
    built = on_students(POOL_GRADIENT, max_pool_forward=min_pool_forward)
    with_built_on = POOL_BACKWARD.replace("BUILT_ON", ', built_on=("conv.max_pool_forward",)')
    right = run(tmp_path, with_built_on, {**students, "conv.max_pool_backward": built})["9.1.1"]
    assert right.score == 2, right.output
    plain = POOL_BACKWARD.replace("BUILT_ON", "")
    assert run(tmp_path, plain, {**students, "conv.max_pool_backward": built})["9.1.1"].score == 0

    def doubled(dout, x, pool=2, stride=2):
        return 2 * built(dout, x, pool, stride)

    wrong = run(tmp_path, with_built_on, {**students, "conv.max_pool_backward": doubled})["9.1.1"]
    against_plain = run(tmp_path, plain, {**students, "conv.max_pool_backward": doubled})["9.1.1"]
    assert wrong.score == 0 and against_plain.score == 0
    assert line(wrong).split(" — hint")[0] == line(against_plain).split(" — hint")[0]


CONV_CASES = """
@question("9.1.1", points=2)
def test_conv(q):
    \"\"\"conv_forward and conv_backward on conv_output_size\"\"\"
    w, b = q.rng.standard_normal((4, 3, 3, 3)), q.rng.standard_normal(4)
    with q.part(1, "conv_forward"):
        for pad in PADS:
            q.check("conv.conv_forward", q.rng.standard_normal((2, 3, 5, 5)), w, b, stride=1, pad=padBUILT_ON)
    cases = [q.case(q.rng.standard_normal((2, 4, 5 + 2 * pad - 2, 5 + 2 * pad - 2)), q.rng.standard_normal((2, 3, 5, 5)),
                    w, b, stride=1, pad=pad) for pad in PADS]
    q.gradients(1, "conv.conv_backward", cases=casesBUILT_ON)
"""


def conv_source(pads, built_on: bool) -> str:
    return (CONV_CASES.replace("PADS", repr(tuple(pads)))
            .replace("BUILT_ON", ', built_on=("conv.conv_output_size",)' if built_on else ""))


def test_a_call_that_raises_where_the_reference_built_on_the_students_helper_raises_is_right_with_a_value(tmp_path):
    students = {"conv.conv_output_size": single_pad_size,
                "conv.conv_forward": on_students(CONV_FORWARD, conv_output_size=single_pad_size),
                "conv.conv_backward": on_students(CONV_BACKWARD, conv_output_size=single_pad_size)}
    # pad 0: right values; pad 1: both raise (a shape that does not reshape, a dout of the wrong shape)
    both = run(tmp_path, conv_source((0, 1), True), students)["9.1.1"]
    assert both.score == pytest.approx(2), both.output
    assert run(tmp_path, conv_source((0, 1), False), students)["9.1.1"].score == 0
    # only the cases that raise: an error, even the one the helper explains, pays only with a value
    raised_only = run(tmp_path, conv_source((1,), True), students)["9.1.1"]
    assert raised_only.score == 0 and "pays only together with a correct value" in raised_only.output, \
        raised_only.output


def test_a_call_that_raises_where_the_reference_built_on_correct_helpers_does_not_loses_its_part(tmp_path):
    def raises(x, w, b, stride=1, pad=0):
        raise ValueError("geometry does not divide")

    def raises_too(dout, x, w, b, stride=1, pad=0):
        raise ValueError("geometry does not divide")

    failed = run(tmp_path, conv_source((0, 1), True), {"conv.conv_forward": raises, "conv.conv_backward": raises_too})
    assert failed["9.1.1"].score == 0
    assert "conv.conv_forward raised: ValueError: geometry does not divide" in failed["9.1.1"].output
