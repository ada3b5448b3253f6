"""The hidden-test writing API (``autograder.authoring``): points, grader errors, seeds.

Hidden tests are written into ``tmp_path`` and run by the real runner with an
in-process client (``InProcessClient``) that answers from Python functions,
so no worker process is started: fast, and the rules are tested on their own.
"""

import inspect
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder.authoring import QuestionDeclarationError, question
from autograder.authoring.calls import Reference, local_args
from autograder.grading.client import StudentCallFailed
from autograder.grading.runner import load_test_modules, run_hidden_tests
from autograder.repo import homework_from_repo, list_homeworks

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Reference(ROOT / "solutions")


class InProcessClient:
    """A stand-in for ``WorkerClient``: calls ``functions[target]`` in this process.

    ``functions`` maps "module.function" to a callable; by default the
    reference's own function answers (a correct submission). Records the
    question budgets it was given.
    """

    def __init__(self, functions=None):
        self.functions = functions or {}
        self.budgets: list[tuple[str, float]] = []

    def _function(self, target):
        return self.functions.get(target) or REFERENCE(target)

    def inspect(self, module, names):
        signatures = {}
        for name in names:
            try:
                signatures[name] = str(inspect.signature(self._function(f"{module}.{name}")))
            except AttributeError:
                pass
        return {"ok": True, "error": "", "signatures": signatures}

    def call(self, target, *args, timeout=None, **kwargs):
        args, kwargs = local_args(args, REFERENCE), local_args(kwargs, REFERENCE)
        try:
            return self._function(target)(*args, **kwargs)
        except Exception as exc:
            raise StudentCallFailed(f"{target} raised: {type(exc).__name__}: {exc}", "error",
                                    error_types=tuple(c.__name__ for c in type(exc).__mro__)) from None

    def begin_question(self, number, time_limit=None):
        self.budgets.append((number, time_limit))

    def end_question(self):
        pass


def run(tmp_path, source: str, functions=None, seed: int = 0):
    """Write ``HEADER`` + ``source`` as a hidden test, run it; ``{number: outcome}``."""
    hidden = tmp_path / "hidden_tests"
    hidden.mkdir(exist_ok=True)
    (hidden / "test_q9_1_example.py").write_text(HEADER + textwrap.dedent(source))
    outcomes, errors = run_hidden_tests(hidden, InProcessClient(functions), REFERENCE, seed=seed)
    assert errors == []
    return {o.number: o for o in outcomes}


HEADER = """\
import numpy as np
from autograder.authoring import array, dims, question, seeds, st
"""


def test_score_is_the_points_of_the_parts_that_passed_and_lines_show_real_points(tmp_path):
    wrong_mul = {"gates.mul_backward": lambda dout, x, y: (dout * x, dout * y)}   # swapped
    outcome = run(tmp_path, """
    @question("9.1.1", points=5)
    def test_gates(q):
        \"\"\"gates: add and multiply\"\"\"
        x, y, dout = q.rng.standard_normal((3, 2, 3))
        q.compare(1, "gates.add_forward", x, y)
        q.gradients(4, "gates.mul_backward", dout, x, y)
    """, wrong_mul)["9.1.1"]
    assert outcome.score == 1 and outcome.max_score == 5
    assert outcome.name == "gates: add and multiply"
    lines = outcome.output.splitlines()
    assert lines[0] == "✓ add_forward (1 pt)"
    assert lines[1].startswith("✗ mul_backward (−2 pts): dx: ") and lines[2].startswith("✗ mul_backward (−2 pts): dy: ")


def test_parts_not_adding_up_to_the_points_is_a_grader_error_naming_the_test(tmp_path):
    outcome = run(tmp_path, """
    @question("9.1.1", points=5)
    def test_short(q):
        \"\"\"too few points\"\"\"
        q.compare(2, "gates.add_forward", np.ones(3), np.ones(3))
    """)["9.1.1"]
    assert outcome.score == 0
    assert ("grader error in 9.1.1: its parts add up to 2 points but @question declares 5 "
            "(test_q9_1_example.py:4)") in outcome.output


def test_a_test_in_which_no_part_ran_is_a_grader_error_not_full_marks(tmp_path):
    outcome = run(tmp_path, """
    @question("9.1.1", points=3)
    def test_nothing(q):
        \"\"\"forgot to grade\"\"\"
        q.rng.standard_normal(3)
    """)["9.1.1"]
    assert outcome.score == 0 and "no part ran (test_q9_1_example.py:4)" in outcome.output


def test_an_exception_in_the_test_code_is_a_grader_error_with_its_line(tmp_path):
    outcome = run(tmp_path, """
    @question("9.1.1", points=1)
    def test_buggy(q):
        \"\"\"a bug in the hidden test\"\"\"
        q.compare(1, "gates.add_forward", np.ones(3), np.ones(3))
        {}["missing"]
    """)["9.1.1"]
    assert outcome.score == 0
    assert "grader error in 9.1.1: KeyError: 'missing' (test_q9_1_example.py:8)" in outcome.output


RAISES_AND_VALUE = """
@question("9.1.1", points=2)
def test_add(q):
    \"\"\"add_forward: a value and a bad shape\"\"\"
    q.raises(1, "gates.add_forward", np.ones((2, 3)), np.ones((3, 2)))
    q.compare(1, "gates.add_forward", *q.rng.standard_normal((2, 4)))
"""


def always_raises(x, y):
    raise ValueError("no")


def test_raising_value_error_alone_earns_nothing(tmp_path):
    outcome = run(tmp_path, RAISES_AND_VALUE, {"gates.add_forward": always_raises})["9.1.1"]
    assert outcome.score == 0
    assert ("✗ add_forward raises ValueError (−1 pt): pays only together with a correct value of add_forward "
            "on valid input in this question") in outcome.output


def test_raising_value_error_pays_with_a_correct_value(tmp_path):
    assert run(tmp_path, RAISES_AND_VALUE)["9.1.1"].score == 2


def test_an_all_zeros_answer_pays_only_with_a_correct_value(tmp_path):
    source = """
    @question("9.1.1", points=2)
    def test_relu(q):
        \"\"\"relu_backward: all inputs negative, then mixed\"\"\"
        x = -np.abs(q.rng.standard_normal(4))
        q.gradients(1, "activations.relu_backward", q.rng.standard_normal(4), x, label="x < 0")
        q.gradients(1, "activations.relu_backward", *q.rng.standard_normal((2, 4)), label="mixed")
    """
    zeros = {"activations.relu_backward": lambda dout, x: np.zeros_like(x)}
    outcome = run(tmp_path, source, zeros)["9.1.1"]
    assert outcome.score == 0 and "✗ x < 0 (−1 pt): pays only together with a correct value" in outcome.output
    assert run(tmp_path, source)["9.1.1"].score == 2


SEEDED = HEADER + """
DRAWN = []

@question("9.1.1", points=1)
def test_seeded(q):
    \"\"\"records what it drew\"\"\"
    DRAWN.append(("rng", q.rng.standard_normal(3).tolist()))
    q.examples(1, "examples", st.tuples(seeds(), dims(1, 9)), lambda case: DRAWN.append(("example", case)),
               max_examples=5)
"""


def _reload_drawn(hidden, seed):
    """``run_hidden_tests`` imports its own copy of the module: run that copy's function directly."""
    from autograder.authoring.context import Question
    from autograder.authoring.question import questions_in

    (module,), _ = load_test_modules(hidden)
    (spec,) = questions_in(module)
    spec.func(Question(spec, InProcessClient(), REFERENCE, seed))
    return module.DRAWN


def test_same_seed_gives_the_same_inputs_and_another_seed_other_inputs(tmp_path):
    first, again, other = _reload_drawn_for(tmp_path, 11), _reload_drawn_for(tmp_path, 11), _reload_drawn_for(tmp_path, 12)
    assert first == again
    assert [v for k, v in first if k == "example"]    # hypothesis ran
    assert first[0] != other[0]                                                        # q.rng
    assert [v for k, v in first if k == "example"] != [v for k, v in other if k == "example"]  # q.examples


def _reload_drawn_for(tmp_path, seed):
    hidden = tmp_path / f"hidden_{seed}_{len(list(tmp_path.iterdir()))}"
    hidden.mkdir()
    (hidden / "test_q9_1_seeded.py").write_text(SEEDED)
    return _reload_drawn(hidden, seed)


def test_inputs_do_not_depend_on_which_tests_ran_before(tmp_path):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "test_q9_1_seeded.py").write_text(SEEDED)
    from autograder.authoring.context import Question
    from autograder.authoring.question import questions_in

    (module,), _ = load_test_modules(hidden)
    (spec,) = questions_in(module)
    np.random.default_rng(0).standard_normal(100)            # unrelated draws elsewhere
    spec.func(Question(spec, InProcessClient(), REFERENCE, 5))
    spec.func(Question(spec, InProcessClient(), REFERENCE, 5))   # a second run in the same process
    assert module.DRAWN[0] == module.DRAWN[len(module.DRAWN) // 2]


def test_a_failed_call_outside_a_part_loses_the_rest_of_the_question(tmp_path):
    outcome = run(tmp_path, """
    @question("9.1.1", points=4)
    def test_sequential(q):
        \"\"\"one part, then a call the rest depends on\"\"\"
        q.compare(1, "gates.add_forward", np.ones(2), np.ones(2))
        out = q.call("gates.mul_forward", np.ones(2), np.ones(2))
        q.part(3, "never reached", lambda: None)
    """, {"gates.mul_forward": always_raises})["9.1.1"]
    assert outcome.score == 1
    assert "✗ the rest of this question (−3 pts): gates.mul_forward raised: ValueError: no" in outcome.output


def test_time_limit_reaches_the_client_and_the_score_is_not_kept_on_the_function(tmp_path):
    hidden = tmp_path / "hidden_tests"
    hidden.mkdir()
    (hidden / "test_q9_1_limits.py").write_text(HEADER + textwrap.dedent("""
    @question("9.1.1", points=1, time_limit=42)
    def test_slow(q):
        \"\"\"a slow one\"\"\"
        q.compare(1, "gates.add_forward", np.ones(2), np.ones(2))
    """))
    client = InProcessClient()
    outcomes, _ = run_hidden_tests(hidden, client, REFERENCE)
    assert client.budgets == [("9.1.1", 42.0)] and outcomes[0].score == 1
    (module,), _ = load_test_modules(hidden)
    assert not hasattr(module.test_slow, "__score__")


@pytest.mark.parametrize("kwargs,message", [
    (dict(number="1.x", points=1), "number '1.x' must look like '1.2.3'"),
    (dict(number="1.1.1", points=0), "points must be a number > 0"),
    (dict(number="1.1.1", points=1, time_limit=-1), "time_limit must be seconds > 0"),
])
def test_bad_declarations_name_the_file_and_line(kwargs, message):
    number = kwargs.pop("number")

    def test_x(q):
        """title"""

    with pytest.raises(QuestionDeclarationError, match=rf"test_authoring.py:\d+: @question {message}"):
        question(number, **kwargs)(test_x)


def test_a_question_needs_a_docstring_for_its_title():
    def test_untitled(q):
        pass

    with pytest.raises(QuestionDeclarationError, match="needs a docstring"):
        question("1.1.1", points=1)(test_untitled)


def converted(hw: str) -> bool:
    """Does ``hw`` have ``@question`` hidden tests (converted from the legacy classes)?"""
    from autograder.authoring.question import questions_in

    homework, _ = homework_from_repo(hw)
    modules, _ = load_test_modules(homework / "hidden_tests")
    return any(questions_in(m) for m in modules)


@pytest.mark.parametrize("hw", [hw for hw in list_homeworks() if converted(hw)])
def test_reference_gets_every_point_of_every_question_whatever_the_seed(hw):
    # grades the reference in process: every question's parts add up (else a grader error)
    # and no seeded input makes a right answer look wrong; questions with a time limit of
    # their own (training) are left to test_grading_e2e, which grades them in the worker
    from autograder.authoring.question import questions_in
    from autograder.grading.runner import run_question

    homework, _ = homework_from_repo(hw)
    modules, errors = load_test_modules(homework / "hidden_tests")
    assert errors == []
    for spec in [spec for module in modules for spec in questions_in(module)]:
        for seed in (1, 2**62 + 3) if spec.time_limit is None else ():
            outcome = run_question(spec, InProcessClient(), REFERENCE, seed)
            assert outcome.score == outcome.max_score, (seed, outcome.number, outcome.output)


def test_a_block_part_passes_only_if_every_check_passes_and_names_the_failing_case(tmp_path):
    sign_bug = {"gates.add_forward": lambda x, y: x + y if x.ndim == 2 else x - y}   # wrong on 1-D inputs
    source = """
    @question("9.1.1", points=2)
    def test_add(q):
        \"\"\"add_forward on 2-D then 1-D inputs\"\"\"
        with q.part(2, "add_forward") as block:
            q.check("gates.add_forward", *q.rng.standard_normal((2, 2, 3)), case="2-D")
            q.check("gates.add_forward", *q.rng.standard_normal((2, 3)), case="1-D")
        q.notes.append(f"passed={block.passed}")
    """
    outcome = run(tmp_path, source, sign_bug)["9.1.1"]
    assert outcome.score == 0
    assert outcome.output.startswith("✗ add_forward (−2 pts): add_forward: ") and "(1-D)\npassed=False" in outcome.output
    assert run(tmp_path, source)["9.1.1"].output == "✓ add_forward (2 pts)\npassed=True"


def test_gradients_over_cases_lose_only_the_gradient_that_is_wrong_somewhere(tmp_path):
    # dy wrong only for 1-D inputs; dx always right
    bug = {"gates.mul_backward": lambda dout, x, y: (dout * y, dout * x if x.ndim == 2 else -dout * x)}
    source = """
    @question("9.1.1", points=4)
    def test_mul(q):
        \"\"\"mul_backward on 2-D and 1-D inputs\"\"\"
        q.gradients(4, "gates.mul_backward", cases=[
            q.case(*q.rng.standard_normal((3, 2, 3)), label="2-D"),
            q.case(*q.rng.standard_normal((3, 4)), label="1-D")])
    """
    outcome = run(tmp_path, source, bug)["9.1.1"]
    assert outcome.score == 2
    lines = outcome.output.splitlines()
    assert lines[0] == "✓ mul_backward: dx (2 pts)"
    assert lines[1].startswith("✗ mul_backward (−2 pts): dy: ") and "wrong sign" in lines[1] and lines[1].endswith("(1-D)")


def test_a_failed_call_of_a_backward_function_is_one_line_worth_all_its_points(tmp_path):
    outcome = run(tmp_path, """
    @question("9.1.1", points=2)
    def test_mul(q):
        \"\"\"mul_backward\"\"\"
        q.gradients(2, "gates.mul_backward", *q.rng.standard_normal((3, 4)))
    """, {"gates.mul_backward": lambda dout, x, y: 1 / 0})["9.1.1"]
    assert outcome.output == "✗ mul_backward (−2 pts): gates.mul_backward raised: ZeroDivisionError: division by zero"


LOSS = """
@question("9.1.1", points=6)
def test_network(q):
    \"\"\"loss_and_grads of a two-layer network\"\"\"
    params = {"W1": q.rng.standard_normal((4, 3)), "b1": q.rng.standard_normal(4),
              "W2": q.rng.standard_normal((6, 4)), "b2": q.rng.standard_normal(6)}
    X, y = q.rng.standard_normal((5, 3)), q.rng.integers(0, 6, 5)
    q.loss_and_grads(6, "network.loss_and_grads", params, X, y, reg=0.1, loss_points=2, batch=5)
"""


def test_loss_and_grads_pays_the_loss_and_each_gradient_of_the_dict(tmp_path):
    from nnkit.network import loss_and_grads

    def b2_not_divided(params, X, y, reg=0.0):
        loss, grads = loss_and_grads(params, X, y, reg)
        return loss, {**grads, "b2": grads["b2"] * len(X)}

    outcome = run(tmp_path, LOSS, {"network.loss_and_grads": b2_not_divided})["9.1.1"]
    assert outcome.score == 5
    assert "✓ loss_and_grads: loss (2 pts)" in outcome.output and "✓ loss_and_grads: W1 (1 pt)" in outcome.output
    assert "✗ loss_and_grads: grads (−1 pt): b2: " in outcome.output and "N = 5 times too large" in outcome.output
    assert run(tmp_path, LOSS)["9.1.1"].score == 6


def test_loss_and_grads_names_a_missing_key_and_a_wrong_loss(tmp_path):
    from nnkit.network import loss_and_grads

    def no_b1_and_double_loss(params, X, y, reg=0.0):
        loss, grads = loss_and_grads(params, X, y, reg)
        return 2 * loss, {k: v for k, v in grads.items() if k != "b1"}

    outcome = run(tmp_path, LOSS, {"network.loss_and_grads": no_b1_and_double_loss})["9.1.1"]
    assert outcome.score == 3
    assert "✗ loss_and_grads (−2 pts): loss: " in outcome.output
    assert "✗ loss_and_grads: grads (−1 pt): grads has no key 'b1'" in outcome.output


DIRECTIONAL = """
@question("9.1.1", points=2)
def test_linear(q):
    \"\"\"linear_backward along random directions\"\"\"
    x, W, b, dout = (q.rng.standard_normal(s) for s in ((6, 5), (4, 5), (4,), (6, 4)))
    q.directional(2, "layers.linear_backward", "layers.linear_forward", dout, x, W, b, wrt=("dx", "dW"))
"""


def test_directional_checks_each_gradient_against_the_reference_forward(tmp_path):
    from nnkit.layers import linear_backward

    def dw_sign(dout, x, W, b):
        dx, dW, db = linear_backward(dout, x, W, b)
        return dx, -dW, db

    outcome = run(tmp_path, DIRECTIONAL, {"layers.linear_backward": dw_sign})["9.1.1"]
    assert outcome.score == 1
    assert outcome.output.splitlines()[0] == "✓ linear_backward along random ±1 directions: dx (1 pt)"
    assert outcome.output.splitlines()[1].startswith("✗ linear_backward along random ±1 directions: dW (−1 pt): dW: ")
    assert run(tmp_path, DIRECTIONAL)["9.1.1"].score == 2


def test_a_part_inside_a_part_is_a_grader_error(tmp_path):
    outcome = run(tmp_path, """
    @question("9.1.1", points=2)
    def test_nested(q):
        \"\"\"nested parts\"\"\"
        with q.part(1, "outer"):
            q.compare(1, "gates.add_forward", np.ones(2), np.ones(2))
    """)["9.1.1"]
    assert outcome.score == 0 and "parts cannot be nested" in outcome.output and "test_q9_1_example.py:8" in outcome.output


def test_the_submission_seed_is_a_hash_of_its_files(tmp_path):
    from autograder.grading.runner import content_seed

    sub = tmp_path / "sub"
    (sub / "nnkit").mkdir(parents=True)
    (sub / "nnkit" / "gates.py").write_text("x = 1\n")
    first = content_seed(sub)
    assert content_seed(sub) == first and 0 <= first < 2**63
    (sub / "nnkit" / "gates.py").write_text("x = 2\n")
    changed = content_seed(sub)
    (sub / "nnkit" / "gates.py").rename(sub / "nnkit" / "layers.py")
    assert len({first, changed, content_seed(sub)}) == 3


def test_accuracy_tiers_name_the_bar_each_part_needs(tmp_path):
    source = """
    @question("9.1.1", points=10)
    def test_trained(q):
        \"\"\"a trained model\"\"\"
        q.accuracy_tiers(5, lambda: ACCURACY, half=0.85, full=0.97)
    """
    low = run(tmp_path, "ACCURACY = 0.83\n" + textwrap.dedent(source))["9.1.1"]
    assert low.score == 0 and "expected at least 85%" in low.output.splitlines()[0]
    assert low.output.splitlines()[1] == "✗ reaches 97% (−5 pts): not reached"
    middle = run(tmp_path, "ACCURACY = 0.90\n" + textwrap.dedent(source))["9.1.1"]
    assert middle.score == 5 and "expected at least 97%" in middle.output.splitlines()[1]


def raising_submission(dest: Path, modules) -> Path:
    """``dest/nnkit/<module>.py`` for ``modules``: every API function there raises ValueError."""
    from autograder.api_spec import API

    (dest / "nnkit").mkdir(parents=True)
    (dest / "nnkit" / "__init__.py").write_text("")
    for module in modules:
        defs = [f"def {name}{signature}:\n    raise ValueError('no')\n" for name, signature in API[module].items()]
        (dest / "nnkit" / f"{module}.py").write_text("\n\n".join(defs))
    return dest


@pytest.mark.parametrize("hw", [hw for hw in list_homeworks() if converted(hw)])
def test_a_submission_that_only_raises_value_error_scores_zero(tmp_path, hw):
    # issue 12 item 2: raising on bad input pays only with a right value of the same function
    import json

    from autograder.grading import grade_submission

    homework, reference = homework_from_repo(hw)
    manifest = json.loads((homework / "manifest.json").read_text())
    sub = raising_submission(tmp_path / "sub", manifest["modules"] + list(manifest.get("carried") or []))
    results = grade_submission(sub, homework, reference)
    assert results["tests"] and results["score"] == 0, [(t["number"], t["output"]) for t in results["tests"]
                                                        if t["score"]]


DRAWS = HEADER + """
DRAWN = []

@question("9.1.1", points=1)
def test_draws(q):
    \"\"\"records what it drew\"\"\"
    DRAWN.extend(q.draw(st.floats(allow_nan=False, allow_infinity=False), 300))
"""


def test_examples_do_not_depend_on_the_modules_loaded_in_the_grader(tmp_path, monkeypatch):
    """Hypothesis would mix literals of the process's local modules into its draws: a Gradescope
    run, ``nnkit grade`` and a long-lived regrade process load different ones."""
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "test_q9_1_draws.py").write_text(DRAWS)
    before = list(_reload_drawn(hidden, 5))
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "nnkit_literals_fixture.py").write_text(
        "VALUES = [" + ", ".join(f"{1000 + i}.{i}25" for i in range(300)) + "]\n")
    monkeypatch.syspath_prepend(str(lib))
    import nnkit_literals_fixture

    after = list(_reload_drawn(hidden, 5))
    assert before == after, "the same seed drew other examples after a module was loaded"
    assert not set(after) & set(nnkit_literals_fixture.VALUES), "a literal of a loaded module was drawn"
