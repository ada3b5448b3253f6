"""Every name of API.md exists in the reference solution, with its exact signature."""

import importlib
import inspect

import pytest

from autograder.api_spec import API

CASES = [(m, f, sig) for m, funcs in API.items() for f, sig in funcs.items()]


@pytest.mark.parametrize("module,func,signature", CASES, ids=[f"{m}.{f}" for m, f, _ in CASES])
def test_reference_has_api_function(module, func, signature):
    mod = importlib.import_module(f"nnkit.{module}")
    assert hasattr(mod, func), f"nnkit.{module} has no function {func!r} (API.md)"
    got = str(inspect.signature(getattr(mod, func)))
    assert got == signature, f"nnkit.{module}.{func}: expected signature {signature}, got {got}"


@pytest.mark.parametrize("module", sorted(API))
def test_every_public_function_has_shaped_docstring(module):
    mod = importlib.import_module(f"nnkit.{module}")
    for name in API[module]:
        doc = inspect.getdoc(getattr(mod, name)) or ""
        assert "Inputs" in doc and "Returns" in doc, (
            f"nnkit.{module}.{name}: docstring must list Inputs and Returns with shapes"
        )
