"""Shared test set-up: ``import nnkit`` gives the reference solution.

The student template is also a package called ``nnkit``; tests that look at
it load it by path (``autograder`` helpers), never by ``import nnkit``.
"""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
if str(SOLUTIONS) not in sys.path:
    sys.path.insert(0, str(SOLUTIONS))

# Property tests are derandomised so that CI is reproducible; the example
# count keeps the whole suite within its time budget on 2 cores.
settings.register_profile("nnkit", derandomize=True, max_examples=60, deadline=None)
settings.load_profile("nnkit")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT
