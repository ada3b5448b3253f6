"""The homework API, read from the reference solution's own code.

Module -> public function -> signature string, e.g.
``API["activations"]["leaky_relu_forward"] == "(x, alpha=0.01)"``. A module of
the API is a file ``<module>.py`` of the reference package ``nnkit/`` (not
``__init__.py``); its functions are the top-level ``def``s whose names do not
start with ``_``. Adding a function to the reference therefore adds it to the
API: there is no copy to keep in step.

The reference is read with ``ast`` (never imported). ``API`` is built on first
use from the reference shipped beside this package: ``reference/nnkit/`` in
autograder.zip, ``solutions/nnkit/`` in the repository. ``api_of(folder)``
reads any other reference (the release reads the repository it builds).

One source for the test that enumerates the reference solution, the stub
generator, the grader's check of a submission's signatures and the bank's
check of its entries. Must run on Python 3.10.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

# Where the reference package sits relative to the folder holding this package:
# autograder.zip, then the repository, then the student release (whose nnkit_check/
# sits beside the student's nnkit/, stubs with the same public signatures).
REFERENCE_PLACES = ("reference/nnkit", "solutions/nnkit", "nnkit")


class APIError(ValueError):
    """A reference module that cannot be read; ``str()`` starts with ``file:line``."""


def default_reference() -> Path:
    """The reference package folder beside this ``autograder/`` package.

    Output: ``<top>/reference/nnkit`` (autograder.zip), ``<top>/solutions/nnkit``
    (the repository) or ``<top>/nnkit`` (the student release). Raises APIError
    when none exists.
    """
    top = Path(__file__).resolve().parents[1]
    for place in REFERENCE_PLACES:
        if (top / place).is_dir():
            return top / place
    raise APIError(f"{top}: no reference package at {' or '.join(REFERENCE_PLACES)}")


def signature_of(node: ast.FunctionDef) -> str:
    """``"(x, alpha=0.01)"``: the parameter list of a ``def`` as written, annotations dropped."""
    args = node.args
    for arg in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
        if arg is not None:
            arg.annotation = None
    return f"({ast.unparse(args)})"


def module_functions(path: Path) -> dict[str, tuple[str, int]]:
    """Public top-level functions of one reference module: name -> (signature, line of its def).

    Input: path of a ``.py`` file. Raises APIError ``file:line: ...`` if it does not parse.
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        raise APIError(f"{path}:{exc.lineno or 0}: does not parse: {exc.msg}") from None
    return {node.name: (signature_of(node), node.lineno) for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_")}


def api_modules(reference: Path) -> dict[str, Path]:
    """Module name -> file of every API module of the reference package folder ``reference``."""
    return {path.stem: path for path in sorted(Path(reference).glob("*.py")) if not path.stem.startswith("_")}


@functools.lru_cache(maxsize=None)
def _api_cached(reference: Path) -> dict[str, dict[str, str]]:
    return {module: {name: sig for name, (sig, _) in module_functions(path).items()}
            for module, path in api_modules(reference).items()}


def api_of(reference: Path) -> dict[str, dict[str, str]]:
    """The API of the reference package folder ``reference``: module -> function -> signature.

    Read once per folder and process (treat the result as read-only).
    """
    return _api_cached(Path(reference).resolve())


def where_defined(reference: Path, module: str, function: str) -> str:
    """``"solutions/nnkit/layers.py:12"``-style location of a reference function (``file:0`` if absent)."""
    path = Path(reference) / f"{module}.py"
    line = module_functions(path).get(function, ("", 0))[1] if path.is_file() else 0
    return f"{path}:{line}"


def __getattr__(name: str):
    """``API``: the API of the reference beside this package, built on first use (PEP 562)."""
    if name == "API":
        return api_of(default_reference())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MAX_SIGNATURE = 2000  # characters of a signature worth parsing (the reference's longest is ~100)


def signature_params(sig: str) -> list[tuple[str, bool]] | None:
    """``[(name, has_default), ...]`` of a signature string such as ``"(x, alpha=0.01)"``.

    ``("*", True)`` stands for a bare ``*`` or ``*args``, ``("**", True)`` for
    ``**kwargs``; keyword-only parameters follow the ``"*"`` entry. None if
    ``sig`` does not parse, or is longer than ``MAX_SIGNATURE`` characters (a
    student's signature text: parsing a 60,000-character annotation exhausts
    the parser, so the work is bounded before it starts).
    """
    if len(sig) > MAX_SIGNATURE:
        return None
    try:
        node = ast.parse(f"def f{sig}: pass").body[0].args
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    positional = node.posonlyargs + node.args
    first_default = len(positional) - len(node.defaults)
    out = [(a.arg, i >= first_default) for i, a in enumerate(positional)]
    if node.vararg or node.kwonlyargs:
        out.append(("*", True))
    out += [(a.arg, d is not None) for a, d in zip(node.kwonlyargs, node.kw_defaults)]
    if node.kwarg:
        out.append(("**", True))
    return out
