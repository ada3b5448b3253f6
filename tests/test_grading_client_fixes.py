"""Regressions of the worker client: whose time an import is, boot time, and ValueError subclasses."""

import shutil
import time

import numpy as np
import pytest

from autograder.grading.config import GradingConfig
from autograder.repo import homework_from_repo
from autograder.grading.client import StudentCallFailed, WorkerClient, format_error
from autograder.authoring.calls import Reference
from autograder.grading.runner import run_hidden_tests
from grading_support import reference_copy

SLOW_IMPORT = "import time\ntime.sleep(1.0)\n\ndef add_forward(x, y):\n    return x + y\n"


def slow_import_submission(root):
    (root / "nnkit").mkdir(parents=True)
    (root / "nnkit" / "__init__.py").write_text("")
    (root / "nnkit" / "gates.py").write_text(SLOW_IMPORT)
    return root


def test_an_import_has_its_own_budget_outside_the_question(tmp_path):
    with WorkerClient(slow_import_submission(tmp_path)) as client:
        client.begin_question("1.1", 0.3)   # less than the import's second: the import is not cut short
        info = client.inspect("gates", ["add_forward"])
        assert info["ok"] and info["signatures"] == {"add_forward": "(x, y)"}
        assert client._question.charged < 0.3   # nor charged to the question
        assert np.array_equal(client.call("gates.add_forward", np.ones(2), np.ones(2)), 2 * np.ones(2))


def test_an_import_that_exceeds_its_own_cap_is_remembered(tmp_path):
    with WorkerClient(slow_import_submission(tmp_path), config=GradingConfig(import_timeout=0.3)) as client:
        first = client.inspect("gates", ["add_forward"])
        assert not first["ok"] and "did not finish in time" in first["error"]
        restarts = client.restarts
        client.begin_question("1.2", 20)
        assert client.inspect("gates", ["add_forward"]) is first   # not hung on again in a later question
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
        client.begin_question("1.1", 0.8)
        assert np.array_equal(client.call("gates.add_forward", x, x), 2 * x)
        assert client._question.left() > 0.3   # the boot's second was not charged


def test_error_of_a_student_exception_names_its_builtin_base():
    err = {"type": "ConfigError", "builtins": ["ValueError", "Exception", "BaseException"], "message": "no adagrad"}
    assert format_error(err) == "ConfigError(ValueError): ‹no adagrad›"
    err = {"type": "ValueError", "builtins": ["ValueError", "Exception", "BaseException"], "message": "m"}
    assert format_error(err) == "ValueError: ‹m›"
    # a class merely named ValueError shows what it really is
    assert format_error({"type": "ValueError", "builtins": ["Exception", "BaseException"], "message": "m"}) \
        == "ValueError(Exception): ‹m›"


def test_a_value_error_subclass_for_an_unknown_optimiser_gets_the_points(tmp_path):
    sub = reference_copy(tmp_path / "sub")
    optim = sub / "nnkit" / "optim.py"
    source = optim.read_text()
    assert source.count("raise ValueError(f\"unknown optimizer") == 1
    optim.write_text(source.replace("raise ValueError(f\"unknown optimizer", "raise OptimizerError(f\"unknown optimizer")
                     + "\n\nclass OptimizerError(ValueError):\n    \"\"\"An optimiser name train does not know.\"\"\"\n")
    homework, reference = homework_from_repo("hw2_training")
    hidden = tmp_path / "hidden"   # only the training-loop question: the others are not about this
    hidden.mkdir()
    shutil.copy(next((homework / "hidden_tests").glob("test_q2_6_*.py")), hidden)
    with WorkerClient(sub) as client:
        found, errors = run_hidden_tests(hidden, client, Reference(reference))
    assert not errors
    outcomes = {o.number: o for o in found}
    train = outcomes["2.6.2"]
    assert train.score == train.max_score, train.output


SABOTEUR = '''
import os, sys, threading, time

def _garbage():
    fd = getattr(sys.modules.get("__main__"), "PROTO_OUT", 1)
    time.sleep(0.3)   # after this module's own import was answered
    while True:
        try:
            os.write(fd, b"\\x00\\x00\\x00\\x08garbage!")
        except OSError:
            pass
        time.sleep(0.001)

threading.Thread(target=_garbage, daemon=True).start()

def sigmoid_forward(x):
    return x
'''


def test_a_thread_left_by_one_modules_import_does_not_fail_another_modules_import(tmp_path):
    (tmp_path / "nnkit").mkdir()
    (tmp_path / "nnkit" / "__init__.py").write_text("")
    (tmp_path / "nnkit" / "activations.py").write_text(SABOTEUR)
    (tmp_path / "nnkit" / "gates.py").write_text("def add_forward(x, y):\n    return x + y\n")
    with WorkerClient(tmp_path) as client:
        assert client.inspect("activations", ["sigmoid_forward"])["ok"]
        time.sleep(0.6)   # its thread now garbles the worker's replies
        info = client.inspect("gates", ["add_forward"])
        assert info["ok"], info["error"]   # decided in a fresh worker, by gates.py alone
