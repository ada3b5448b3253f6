"""The bank of buggy variants (mutants) and correct alternatives of the reference.

An entry is one file ``assignments/<hw>/bank/{buggy,correct}/<name>.py``
(or ``bank/pending/``: a mutant the hidden tests do not catch yet):

    \"\"\"relu_backward passes the gradient where x == 0 (mask x >= 0).\"\"\"
    import numpy as np

    MODULE = "activations"
    KILLED_BY = ["1.3"]          # buggy only: questions that must lose points

    def relu_backward(dout, x):
        ...

A submission is built from an entry by copying the reference modules that the
homework grades and carries (solution markers stripped) into ``dest/nnkit/``
and appending the entry's source to its ``MODULE``: the replacement
definitions shadow the reference's, and every other function of that module
that calls them by name picks them up. Entries are read with ``ast``; nothing
here imports or runs them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from autograder.api_spec import API
from autograder.release.manifest import read_manifest
from autograder.release.markers import MARKER_RE
from autograder.repo import REPO as ROOT

KINDS = ("buggy", "correct")  # what the audit grades
# bank/pending/: mutants the hidden tests do not catch yet (the question that must grow is named in
# the entry's docstring or the audit's report); parsed and probed like buggy ones, audited on request
PENDING = "pending"


@dataclass(frozen=True)
class BankEntry:
    """One bank file, parsed.

    - path: the file; hw: its homework; kind: "buggy" or "correct"; name: file stem
    - doc: the one-line description; module: the nnkit module it patches
    - killed_by: questions that must lose points (empty for correct entries)
    - functions: names of the top-level functions it defines (API ones and helpers)
    """

    path: Path
    hw: str
    kind: str
    name: str
    doc: str
    module: str
    killed_by: tuple[str, ...]
    functions: tuple[str, ...]

    @property
    def key(self) -> str:
        """A unique, filesystem-safe id: ``<hw>/<kind>/<name>``."""
        return f"{self.hw}/{self.kind}/{self.name}"

    @property
    def is_mutant(self) -> bool:
        """A buggy entry, or a pending one (a mutant not caught yet)."""
        return self.kind in ("buggy", PENDING)

    @property
    def api_functions(self) -> tuple[str, ...]:
        """The functions it replaces that are in its module's API (the reference's public functions)."""
        return tuple(f for f in self.functions if f in API.get(self.module, {}))


def _literal(tree: ast.Module, name: str, path: Path):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                raise ValueError(f"{path}: {name} must be a literal, got {ast.unparse(node.value)}") from None
    return None


def load_entry(path: Path) -> BankEntry:
    """Parse one bank file; ValueError saying what is missing or malformed."""
    path = Path(path)
    kind, hw = path.parent.name, path.parent.parent.parent.name
    if kind not in KINDS + (PENDING,) or path.parent.parent.name != "bank":
        raise ValueError(f"{path}: expected assignments/<hw>/bank/{{buggy,correct,pending}}/<name>.py")
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        raise ValueError(f"{path}:{exc.lineno}: does not parse: {exc.msg}") from None
    doc = ast.get_docstring(tree)
    if not doc or "\n" in doc.strip():
        raise ValueError(f"{path}: expected a one-line module docstring naming the mistake, got {doc!r}")
    module = _literal(tree, "MODULE", path)
    if module not in API:
        raise ValueError(f"{path}: MODULE must be one of {sorted(API)}, got {module!r}")
    killed_by = _literal(tree, "KILLED_BY", path)
    if kind != "correct" and (not isinstance(killed_by, list) or not killed_by
                            or not all(isinstance(q, str) for q in killed_by)):
        raise ValueError(f"{path}: a buggy entry needs KILLED_BY = [\"<question>\", ...], got {killed_by!r}")
    if kind == "correct" and killed_by is not None:
        raise ValueError(f"{path}: a correct alternative must not have KILLED_BY")
    functions = tuple(n.name for n in tree.body if isinstance(n, ast.FunctionDef))
    entry = BankEntry(path, hw, kind, path.stem, doc.strip(), module, tuple(killed_by or ()), functions)
    if not entry.api_functions:
        raise ValueError(f"{path}: defines none of {module}'s API functions {sorted(API[module])}")
    return entry


def bank_dir(hw: str, root: Path = ROOT) -> Path:
    return root / "assignments" / hw / "bank"


def load_bank(hw: str, kind: str | None = None, root: Path = ROOT) -> list[BankEntry]:
    """Every buggy and correct entry of homework ``hw`` (or those of one kind, ``"pending"`` included),
    sorted by kind then name."""
    kinds = KINDS if kind is None else (kind,)
    if kind is not None and kind not in KINDS + (PENDING,):
        raise ValueError(f"kind must be one of {KINDS + (PENDING,)}, got {kind!r}")
    return [load_entry(p) for k in kinds for p in sorted((bank_dir(hw, root) / k).glob("*.py"))]


def strip_markers(source: str) -> str:
    """The source without its ``### BEGIN/END SOLUTION`` lines (the code between stays)."""
    return "".join(line for line in source.splitlines(keepends=True) if not MARKER_RE.match(line.strip()))


def build_submission(entry: BankEntry, dest: Path, root: Path = ROOT) -> Path:
    """Write a submission ``dest/nnkit/`` = reference + the entry patched into its module.

    Inputs:
    - entry: a bank entry (``load_entry``)
    - dest: a folder (created if needed); must not already hold ``nnkit/``
    - root: repository root holding ``solutions/nnkit`` and the manifests

    Returns the ``dest/nnkit`` folder.
    """
    manifest = read_manifest(root, entry.hw)
    if entry.module not in manifest.modules + manifest.carried:
        raise ValueError(f"{entry.path}: MODULE {entry.module!r} is not part of {entry.hw}")
    package = write_reference(dest, entry.hw, root)
    source = (package / f"{entry.module}.py").read_text(encoding="utf-8")
    source = (source.rstrip("\n") + f"\n\n\n# ---- bank entry {entry.key} ----\n"
              + entry.path.read_text(encoding="utf-8"))
    (package / f"{entry.module}.py").write_text(source, encoding="utf-8")
    return package


def write_reference(dest: Path, hw: str, root: Path = ROOT) -> Path:
    """Write the reference as a submission ``dest/nnkit/`` (graded + carried modules, no markers)."""
    manifest = read_manifest(root, hw)
    package = Path(dest) / "nnkit"
    package.mkdir(parents=True, exist_ok=False)
    (package / "__init__.py").write_text('"""nnkit, built from the reference."""\n', encoding="utf-8")
    reference = root / "solutions" / "nnkit"
    for module in manifest.modules + manifest.carried:
        source = strip_markers((reference / f"{module}.py").read_text(encoding="utf-8"))
        (package / f"{module}.py").write_text(source, encoding="utf-8")
    return package
