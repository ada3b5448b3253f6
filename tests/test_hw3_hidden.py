"""hw3's hidden tests pay nothing for doing nothing (issue 12 item 2), run with an in-process client.

A submission whose every conv function raises ValueError (it passes every
"raises on bad input" check) and one whose every function returns zeros of
the right shapes (all-zero expected values exist: a zero gradient where a
window has no maximum) must both score 0 on every question.
"""

import functools
from pathlib import Path

import numpy as np
import pytest

from autograder.api_spec import API
from autograder.grading.runner import run_hidden_tests
from test_authoring import REFERENCE, InProcessClient

HIDDEN = Path(__file__).resolve().parents[1] / "assignments" / "hw3_cnn" / "hidden_tests"


def raising(target):
    """``target``'s signature, raising ValueError on any input."""
    @functools.wraps(REFERENCE(target))
    def f(*args, **kwargs):
        raise ValueError("bad input")
    return f


def zeros_like_answer(value):
    """The reference's answer with every array, number and dict entry replaced by zeros."""
    if isinstance(value, np.ndarray):
        return np.zeros_like(value)
    if isinstance(value, (tuple, list)):
        return type(value)(zeros_like_answer(v) for v in value)
    if isinstance(value, dict):
        return {k: zeros_like_answer(v) for k, v in value.items()}
    return type(value)(0)


def zeros(target):
    """``target``'s signature, answering zeros shaped like the reference's answer."""
    reference = REFERENCE(target)

    @functools.wraps(reference)
    def f(*args, **kwargs):
        return zeros_like_answer(reference(*args, **kwargs))
    return f


@pytest.mark.parametrize("fake", [raising, zeros])
def test_doing_nothing_scores_nothing(fake):
    functions = {f"conv.{name}": fake(f"conv.{name}") for name in API["conv"]}
    outcomes, errors = run_hidden_tests(HIDDEN, InProcessClient(functions), REFERENCE, seed=7)
    assert errors == [] and len(outcomes) == 12
    assert [(o.number, o.score) for o in outcomes if o.score > 0] == []
    assert not any("grader error" in o.output for o in outcomes), [o.output for o in outcomes]
