"""torch is the independent library the reference is cross-checked against.

It is optional for a developer (`make test` passes without it; its tests
skip), but CI installs it and sets NNKIT_REQUIRE_TORCH=1, so there a missing
torch is a failure, never a silent skip.
"""

import os

import pytest


def require_torch():
    if os.environ.get("NNKIT_REQUIRE_TORCH") == "1":
        import torch  # noqa: F401 - must be importable in CI

        return torch
    return pytest.importorskip("torch")
