"""pytest set-up of the student release: ``import nnkit`` is *your* code in ../nnkit/."""

import sys
from pathlib import Path

from hypothesis import settings

HERE = Path(__file__).resolve().parent
# The homework folder (for nnkit/ and nnkit_check/) and this one (for stubcheck.py).
for folder in (HERE.parent, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

# The same examples on every run, so that a failure you saw is a failure you can reproduce.
settings.register_profile("nnkit", derandomize=True, max_examples=40, deadline=None)
settings.load_profile("nnkit")
