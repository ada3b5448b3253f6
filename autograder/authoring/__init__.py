"""What hidden tests are written with: ``@question`` and the context ``q``.

A hidden test (``assignments/<hw>/hidden_tests/test_*.py``) is a plain
function per graded test:

    from autograder.authoring import question

    @question("1.1.1", points=5)
    def test_add_mul(q):
        \"\"\"add and multiply gates: forward and gradients (dout ≠ 1)\"\"\"
        x, y, dout = q.rng.standard_normal((3, 2, 3))
        q.compare(1, "gates.add_forward", x, y)
        q.gradients(1, "gates.add_backward", dout, x, y)    # dx and dy: 0.5 point each
        q.compare(1, "gates.mul_forward", x, y)
        q.gradients(2, "gates.mul_backward", dout, x, y)

The runner (``autograder.grading.runner``) builds ``q``, runs the function
under its time limit and turns its parts into the score: points are points
(the parts must add up to the declared ``points``), a test in which no part
ran is a grader error, and a raise-only or all-zeros part pays only together
with a right value of the same function. ``q.rng`` and ``q.examples`` are
seeded from the submission's content and the question number. The checkers
are documented in ``autograder.authoring.context``; a guide with a complete
example is ``docs/WRITING_TESTS.md``.

Runs on Python 3.10 (ships in autograder.zip).
"""

from hypothesis import strategies as st  # noqa: F401  (for q.examples strategies)

from autograder.authoring.calls import GraderError  # noqa: F401
from autograder.authoring.cases import array, dims, kinds, seeds  # noqa: F401
from autograder.authoring.context import Question  # noqa: F401
from autograder.authoring.question import QuestionDeclarationError, QuestionSpec, question  # noqa: F401
from autograder.grading.checks import CheckFailed  # noqa: F401
from autograder.worker.protocol import FunctionRef  # noqa: F401

__all__ = ["question", "Question", "QuestionSpec", "QuestionDeclarationError", "CheckFailed", "GraderError",
           "FunctionRef", "array", "dims", "kinds", "seeds", "st"]
