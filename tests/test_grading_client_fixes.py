"""Regressions of the worker client: whose time a timeout was, boot time, and ValueError subclasses."""

import time

import numpy as np
import pytest

from autograder.grading import client as client_module
from autograder.repo import homework_from_repo
from autograder.grading.client import StudentCallFailed, WorkerClient, format_error
from autograder.grading.graded import Reference
from autograder.grading.runner import case_classes, load_test_modules, run_test_class
from grading_support import reference_copy

SLOW_IMPORT = "import time\ntime.sleep(1.0)\n\ndef add_forward(x, y):\n    return x + y\n"


def slow_import_submission(root):
    (root / "nnkit").mkdir(parents=True)
    (root / "nnkit" / "__init__.py").write_text("")
    (root / "nnkit" / "gates.py").write_text(SLOW_IMPORT)
    return root


def test_an_import_cut_short_by_the_question_is_retried_in_the_next_question(tmp_path):
    with WorkerClient(slow_import_submission(tmp_path)) as client:
        client.deadline = time.monotonic() + 0.3   # the question's time runs out during the import
        with pytest.raises(StudentCallFailed) as info:
            client.inspect("gates", ["add_forward"])
        assert info.value.kind == "timeout" and info.value.question_limit
        client.deadline = time.monotonic() + 20    # the next question has time: the import is not blamed
        info = client.inspect("gates", ["add_forward"])
        assert info["ok"] and info["signatures"] == {"add_forward": "(x, y)"}
        assert np.array_equal(client.call("gates.add_forward", np.ones(2), np.ones(2)), 2 * np.ones(2))


def test_an_import_that_exceeds_its_own_cap_is_remembered(tmp_path, monkeypatch):
    monkeypatch.setattr(client_module, "CALL_TIMEOUT", 0.3)
    with WorkerClient(slow_import_submission(tmp_path)) as client:
        first = client.inspect("gates", ["add_forward"])
        assert not first["ok"] and "did not finish in time" in first["error"]
        restarts = client.restarts
        assert client.inspect("gates", ["add_forward"]) is first   # not hung on again
        assert client.restarts == restarts


def test_worker_boot_time_is_not_charged_to_the_question(tmp_path, monkeypatch):
    sub = reference_copy(tmp_path / "sub", modules={"gates"})
    slow_boot = WorkerClient._await_hello

    def await_hello_slowly(self):   # a loaded runner: python + numpy take a second to come up
        time.sleep(1.0)
        slow_boot(self)

    x = np.arange(4.0).reshape(2, 2)
    with WorkerClient(sub) as client:
        assert np.array_equal(client.call("gates.add_forward", x, x), 2 * x)
        client._kill()   # the worker died in an earlier call of this question
        monkeypatch.setattr(WorkerClient, "_await_hello", await_hello_slowly)
        client.deadline = time.monotonic() + 0.8
        assert np.array_equal(client.call("gates.add_forward", x, x), 2 * x)
        assert client.deadline - time.monotonic() > 0.3   # the boot's second was given back


def test_error_of_a_student_exception_names_its_builtin_base():
    err = {"type": "ConfigError", "bases": ["ValueError", "Exception", "BaseException"], "message": "no adagrad"}
    assert format_error(err) == "ConfigError(ValueError): no adagrad"
    assert format_error({"type": "ValueError", "bases": ["Exception", "BaseException"], "message": "m"}) == "ValueError: m"


def test_a_value_error_subclass_for_an_unknown_optimiser_gets_the_points(tmp_path):
    sub = reference_copy(tmp_path / "sub")
    optim = sub / "nnkit" / "optim.py"
    source = optim.read_text()
    assert source.count("raise ValueError(f\"unknown optimizer") == 1
    optim.write_text(source.replace("raise ValueError(f\"unknown optimizer", "raise OptimizerError(f\"unknown optimizer")
                     + "\n\nclass OptimizerError(ValueError):\n    \"\"\"An optimiser name train does not know.\"\"\"\n")
    homework, reference = homework_from_repo("hw2_training")
    modules, errors = load_test_modules(homework / "hidden_tests")
    assert not errors
    classes = [cls for m in modules for cls in case_classes(m) if hasattr(cls, "test_train")]
    assert len(classes) == 1
    with WorkerClient(sub) as client:
        outcomes = {o.number: o for o in run_test_class(classes[0], client, Reference(reference))}
    train = outcomes["2.6.2"]
    assert train.score == train.max_score, train.output
