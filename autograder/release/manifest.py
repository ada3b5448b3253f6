"""Read and validate ``assignments/<hw>/manifest.toml`` against the reference solution.

The reference is read with ``ast`` (never imported): the release must not run
the code it packages.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.api_spec import APIError, api_of
from autograder.release.errors import Problem, ReleaseError, display_path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: tomli is the same parser, when installed
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        tomllib = None


# Optional true/false settings of a manifest (default false):
# - carried_from_reference: a carried module missing from a submission is taken from the
#   reference (for courses that publish earlier homeworks' solutions after their deadline)
# - drop_hints: the stubs leave out the docstrings' "Hint:" paragraphs
OPTIONAL_FLAGS = ("carried_from_reference", "drop_hints")


@dataclass
class Manifest:
    """One homework's manifest; ``data`` is the TOML as a dict (what goes into manifest.json)."""

    homework: str
    path: Path
    data: dict = field(repr=False)
    # carried module -> the homework that grades it ("Homework 1"), set by load_manifest
    carried_origin: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def modules(self) -> list[str]:
        return list(self.data["modules"])

    @property
    def carried(self) -> list[str]:
        return list(self.data.get("carried", []))

    @property
    def notebook(self) -> str:
        return self.data["notebook"]

    @property
    def questions(self) -> list[dict]:
        return list(self.data["questions"])

    @property
    def carried_from_reference(self) -> bool:
        """True when the grader takes a carried module missing from a submission from the
        reference (courses that publish earlier solutions); default False."""
        return bool(self.data.get("carried_from_reference", False))

    @property
    def drop_hints(self) -> bool:
        """True when this homework's stubs leave out the "Hint:" paragraphs of the docstrings."""
        return bool(self.data.get("drop_hints", False))

    def label(self) -> str:
        """The short name of the homework for students: the title before its colon ("Homework 1")."""
        return self.title.split(":")[0].strip()

    def to_json(self) -> str:
        """``homework/manifest.json`` of autograder.zip: the manifest plus ``"homework"`` and
        ``"carried_origin"`` (carried module -> the homework that grades it)."""
        return json.dumps({**self.data, "homework": self.homework, "carried_origin": self.carried_origin},
                          indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in ``text`` (0 if absent)."""
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def read_manifest(root: Path, hw: str) -> Manifest:
    """Parse the TOML of homework ``hw`` (no validation).

    Inputs:
    - root: the repository root.
    - hw: homework folder name under ``assignments/``.
    """
    path = root / "assignments" / hw / "manifest.toml"
    shown = display_path(path, root)
    if not path.is_file():
        raise ReleaseError(Problem(shown, 0, f"missing: homework {hw!r} has no manifest.toml"))
    if tomllib is None:
        raise ReleaseError(Problem(shown, 0, "reading TOML needs Python 3.11 or newer (tomllib), or `pip install tomli`"))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ReleaseError(Problem(shown, getattr(exc, "lineno", 0), f"not valid TOML: {exc}")) from None
    return Manifest(hw, path, data)


def defined_functions(source: str, path: str) -> dict[str, int]:
    """Top-level function name -> line of its ``def`` in a module's source (by ast)."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise ReleaseError(Problem(path, exc.lineno or 0, f"does not parse: {exc.msg}")) from None
    return {n.name: n.lineno for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def validate_manifest(manifest: Manifest, root: Path) -> None:
    """Check a manifest against the reference modules (the API, ``api_spec.api_of``).

    Checks: the required keys and their types; ``modules`` and ``carried`` name
    modules ``solutions/nnkit/<module>.py`` of the reference, and none is both;
    each question has a number, a name, positive points and functions
    ``"module.function"`` of a graded module that the reference defines (a public
    top-level ``def``). Raises ReleaseError listing every problem with
    ``manifest.toml:line``.
    """
    text = manifest.path.read_text(encoding="utf-8")
    shown = display_path(manifest.path, root)
    problems: list[Problem] = []

    def bad(needle: str, message: str) -> None:
        problems.append(Problem(shown, _line_of(text, needle), message))

    data = manifest.data
    for key, kind in (("title", str), ("modules", list), ("carried", list), ("notebook", str),
                      ("questions", list)):
        if not isinstance(data.get(key), kind):
            bad(key, f"expected key {key!r} of type {kind.__name__}, got {data.get(key)!r}")
    for key in OPTIONAL_FLAGS:
        if key in data and not isinstance(data[key], bool):
            bad(key, f"expected {key!r} to be true or false, got {data[key]!r}")
    if problems:
        raise ReleaseError(problems)

    reference = root / "solutions" / "nnkit"
    try:
        api = api_of(reference)
    except APIError as exc:  # "file:line: does not parse"
        path, line, message = (str(exc).split(":", 2) + ["", ""])[:3]
        raise ReleaseError(Problem(display_path(Path(path), root), int(line or 0), message.strip())) from None
    for module in manifest.modules + manifest.carried:
        if module not in api:
            bad(f'"{module}"', f"unknown module {module!r}: there is no reference module "
                f"{display_path(reference / f'{module}.py', root)} (the reference has {sorted(api)})")
    for module in set(manifest.carried) & set(manifest.modules):
        bad(f'"{module}"', f"module {module!r} is both graded and carried")

    numbers = set()
    for question in manifest.questions:
        number = question.get("number")
        if not isinstance(number, str) or number in numbers:
            bad(f'"{number}"', f"each question needs a unique string number, got {number!r}")
        numbers.add(number)
        if not isinstance(question.get("name"), str):
            bad(f'"{number}"', f"question {number}: expected a string 'name'")
        points = question.get("points")
        if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
            bad(f'"{number}"', f"question {number}: expected positive 'points', got {points!r}")
        functions = question.get("functions")
        if not isinstance(functions, list) or not functions:
            bad(f'"{number}"', f"question {number}: expected a non-empty list 'functions'")
            continue
        for qualified in functions:
            module, _, func = str(qualified).partition(".")
            if module not in manifest.modules:
                bad(f'"{qualified}"', f"question {number}: {qualified!r} is not in a graded module "
                    f"of this homework ({manifest.modules})")
            elif func not in api.get(module, {}):
                bad(f'"{qualified}"', f"question {number}: the reference "
                    f"{display_path(reference / f'{module}.py', root)} defines no function {func!r}")
    if problems:
        raise ReleaseError(problems)


def carried_origin(root: Path, manifest: Manifest) -> dict[str, str]:
    """Carried module -> label of the homework whose manifest grades it ("Homework 1").

    A module no manifest grades maps to "an earlier homework".
    """
    graders: dict[str, str] = {}
    for hw in list_homeworks(root):
        if hw == manifest.homework:
            continue
        other = read_manifest(root, hw)
        for module in other.data.get("modules", []):
            if isinstance(other.data.get("title"), str):
                graders.setdefault(module, other.label())
    return {m: graders.get(m, "an earlier homework") for m in manifest.carried}


def load_manifest(root: Path, hw: str) -> Manifest:
    """``read_manifest`` then ``validate_manifest``: a manifest the rest of the release can trust
    (with ``carried_origin`` filled in from the other homeworks' manifests)."""
    manifest = read_manifest(root, hw)
    validate_manifest(manifest, root)
    manifest.carried_origin = carried_origin(root, manifest)
    return manifest


def list_homeworks(root: Path) -> list[str]:
    """Every folder of ``assignments/`` that has a manifest, sorted."""
    return sorted(p.parent.name for p in (root / "assignments").glob("*/manifest.toml"))
