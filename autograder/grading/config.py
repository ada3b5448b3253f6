"""The grading engine's knobs, in one object passed in (never patched).

    config = GradingConfig(max_time_limit=3.0)          # e.g. the red team: hangs cut short
    grade_submission(sub, homework, reference, config=config)

A question's time limit is a budget of the *submission's* time, not of the
machine's: what the worker spent running (its CPU time) or sleeping and
blocking (wall time it was not waiting for a CPU), see ``budget.py``. A busy
machine stretches the wall clock, not the budget, so a correct submission
gets the same score on a loaded grader as on a quiet one. A wall-clock
backstop ``wall_factor`` times larger (plus ``wall_slack``) still ends any
call, whatever the accounting says.

Runs on Python 3.10 (ships in autograder.zip).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.sandbox import Limits

DEFAULT_TIME_LIMIT = 10.0   # seconds of the submission's time per question when its test sets none

# The tag of a test in results.json whose score a grader problem (the worker
# killed from outside, twice) may have lowered: provisional; ``nnkit regrade``
# marks its row ``retry`` and a rerun grades it again.
GRADER_PROBLEM_TAG = "grader-problem"


@dataclass(frozen=True)
class GradingConfig:
    """Time limits, call timeout, retries and sandbox limits of one grading run.

    - ``time_limit``: a question's budget (seconds of the submission's time) when its test sets none
    - ``max_time_limit``: a cap on every question's budget, or None (tests: hangs cost little)
    - ``call_timeout``: budget of one call when the question allows more
    - ``import_timeout``: budget of importing one module of the submission (once per module:
      a module that hangs at import costs this much in total, not once per question)
    - ``wall_factor``, ``wall_slack``: the wall-clock backstop of a budget ``b`` is
      ``wall_factor * b + wall_slack`` seconds
    - ``startup_timeout``: wall seconds for the worker's Python and numpy to come up
    - ``retries``: how often a call is re-run when its worker was killed by a signal that
      neither the submission nor the grader sent (then the question is a grader problem)
    - ``limits``: the sandbox's rlimits of the worker
    """

    time_limit: float = DEFAULT_TIME_LIMIT
    max_time_limit: float | None = None
    call_timeout: float = 30.0
    import_timeout: float = 10.0
    wall_factor: float = 5.0
    wall_slack: float = 10.0
    startup_timeout: float = 20.0
    retries: int = 1
    limits: Limits = field(default_factory=lambda: Limits(cpu_seconds=600))

    def __post_init__(self):
        for name in ("time_limit", "call_timeout", "import_timeout", "startup_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"GradingConfig.{name} must be positive, got {getattr(self, name)!r}")
        if self.max_time_limit is not None and not self.max_time_limit > 0:
            raise ValueError(f"GradingConfig.max_time_limit must be positive or None, got {self.max_time_limit!r}")
        if self.wall_factor < 1 or self.wall_slack < 0:
            raise ValueError("GradingConfig.wall_factor must be >= 1 and wall_slack >= 0")
        if self.retries < 0:
            raise ValueError(f"GradingConfig.retries must be >= 0, got {self.retries!r}")

    def question_budget(self, declared: float | None) -> float:
        """The budget (seconds) of a question whose test declares ``declared`` (None: the default)."""
        budget = self.time_limit if declared is None else float(declared)
        if self.max_time_limit is not None:
            budget = min(budget, self.max_time_limit)
        return budget

    def backstop(self, budget: float) -> float:
        """Wall seconds after which a call with ``budget`` seconds of the submission's time is ended anyway."""
        return self.wall_factor * budget + self.wall_slack
