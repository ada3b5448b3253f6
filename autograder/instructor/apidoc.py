"""docs/HOMEWORK_API.md: the homework API as the reference defines it, generated.

    python -m autograder.instructor.apidoc          # rewrite docs/HOMEWORK_API.md
    python -m autograder.instructor.apidoc --check  # exit 1 if it is stale

``nnkit release`` and ``nnkit new`` rewrite it too, as they do the student template.

Per module of ``solutions/nnkit/``: which homeworks grade or carry it (the
manifests) and each public function with its signature; what a function does
is in its docstring, which the file points to (so that rewording a docstring
does not make this file stale; changing the API does). The conventions every
module follows are written once, at the top. tests/test_api.py fails when the
file is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.api_spec import api_modules, module_functions

TARGET = "docs/HOMEWORK_API.md"

HEADER = """# The homework API

Generated from the reference solution by `python -m autograder.instructor.apidoc`
(do not edit by hand; `tests/test_api.py` fails when it is stale). The contract
is the reference's own code: every public top-level function of
`solutions/nnkit/<module>.py` is part of the API, with the signature written
there (`autograder/api_spec.py` reads it); its docstring, which students read
in their stubs, says what it computes, its inputs and outputs with shapes. Each manifest (`assignments/<hw>/manifest.toml`) says
which modules its homework grades and which it carries along as stubs.

## Conventions every module follows

- float64 numpy arrays, batch first: `X` is `(N, d)`, one input per row;
- a weight matrix `W` is `(m, d)` as in the lecture (`q = W x`; batched
  `out = X @ W.T + b`);
- Jacobians in the lecture's layout: `df/dx` is `d × m`, so
  `dL/dx = (df/dx) @ (dL/df)`;
- losses are the mean over the batch and return `(loss, gradient)`;
- descent steps subtract (`W ← W − η ∇L`);
- functions never modify their inputs;
- a backward function takes the upstream gradient and the forward inputs and
  returns one gradient per input, in the order of the inputs, each shaped like
  its input; `max(0, ·)` terms pass gradient only where strictly positive;
- bad arguments (wrong shapes, a geometry that does not divide) raise
  `ValueError` saying what was expected.
"""


def graders(root: Path) -> dict[str, list[str]]:
    """Module -> the homeworks that grade it and those that carry it ("hw2_training (carried)")."""
    from autograder.release.manifest import read_manifest
    from autograder.repo import list_homeworks

    found: dict[str, list[str]] = {}
    for hw in list_homeworks(root):
        data = read_manifest(root, hw).data
        for module in data.get("modules", []):
            found.setdefault(module, []).append(hw)
        for module in data.get("carried", []):
            found.setdefault(module, []).append(f"{hw} (carried)")
    return found


def render(root: Path) -> str:
    """The text of docs/HOMEWORK_API.md for the repository at ``root``."""
    reference = Path(root) / "solutions" / "nnkit"
    used = graders(root)
    lines = [HEADER]
    for module, path in api_modules(reference).items():
        where = ", ".join(used.get(module, [])) or "no homework yet"
        lines += [f"## nnkit/{module}.py", "",
                  f"In: {where}. Docstrings: [solutions/nnkit/{module}.py](../solutions/nnkit/{module}.py).", ""]
        lines += [f"- `{name}{signature}`" for name, (signature, _) in module_functions(path).items()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_api_doc(root: Path) -> bool:
    """Rewrite ``root/docs/HOMEWORK_API.md`` if its text is not current; return whether it changed."""
    path, text = Path(root) / TARGET, render(root)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    from autograder.repo import REPO

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the file is stale")
    args = parser.parse_args(argv)
    if args.check:
        current = (REPO / TARGET).is_file() and (REPO / TARGET).read_text(encoding="utf-8") == render(REPO)
        if not current:
            print(f"{TARGET} is stale: run python -m autograder.instructor.apidoc", file=sys.stderr)
        return 0 if current else 1
    if write_api_doc(REPO):
        print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
