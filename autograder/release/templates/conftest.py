"""pytest set-up of the student release: ``import nnkit`` is *your* code in ../nnkit/."""

import sys
from pathlib import Path

from hypothesis import settings

HOMEWORK = Path(__file__).resolve().parents[1]
if str(HOMEWORK) not in sys.path:
    sys.path.insert(0, str(HOMEWORK))

# The same examples on every run, so that a failure you saw is a failure you can reproduce.
settings.register_profile("nnkit", derandomize=True, max_examples=40, deadline=None)
settings.load_profile("nnkit")
