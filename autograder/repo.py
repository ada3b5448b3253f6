"""The repository side: where the checkout is, and a homework laid out from it.

Everything here needs the repository (``assignments/``, ``solutions/``) and
the release's manifest reader; none of it ships in autograder.zip, where the
grading engine gets its folders from the zip's own layout instead. The
grading engine therefore never imports this module; the instructor tools,
``nnkit grade`` and the tests do.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

# The one definition of the repository root (this file is autograder/repo.py).
REPO = Path(__file__).resolve().parents[1]


def list_homeworks(root: Path = REPO) -> list[str]:
    """Every folder ``assignments/<hw>/`` of ``root`` holding a manifest.toml, sorted.

    Inputs: root, a repository root. Output: homework folder names.
    """
    from autograder.release.manifest import list_homeworks as listed

    return listed(root)


def homework_from_repo(hw: str, root: Path = REPO) -> tuple[Path, Path]:
    """``(homework_dir, reference_dir)`` for homework ``hw``, laid out like autograder.zip.

    Inputs:
    - hw: a folder name under ``root/assignments/``
    - root: the repository root (default: this checkout)

    ``homework_dir`` (manifest.json, hidden_tests/, public_tests/) is built
    in a private (0700) cache folder keyed by the content, so concurrent
    callers share it and an edit makes a new one; ``reference_dir`` is the
    repository's ``solutions/`` (holding ``nnkit/``). Raises ValueError
    naming the valid homeworks, or the manifest's ``file:line`` problems.
    """
    # the release's validated reader: the same manifest.json that autograder.zip ships
    from autograder.release.errors import ReleaseError
    from autograder.release.manifest import load_manifest

    root = Path(root)
    homeworks = list_homeworks(root)
    if hw not in homeworks:
        raise ValueError(f"unknown homework {hw!r}; expected one of {homeworks}")
    try:
        manifest_json = load_manifest(root, hw).to_json()
    except ReleaseError as exc:
        raise ValueError(str(exc)) from None
    src = root / "assignments" / hw
    digest = hashlib.sha256(manifest_json.encode())
    for sub in ("hidden_tests", "public_tests"):
        for path in sorted((src / sub).rglob("*.py")) if (src / sub).exists() else []:
            digest.update(str(path.relative_to(src)).encode() + b"\0" + path.read_bytes())
    base = Path(tempfile.gettempdir()) / f"nnkit-homework-{os.getuid()}"
    base.mkdir(mode=0o700, exist_ok=True)
    os.chmod(base, 0o700)  # hidden tests: never readable by the sandbox user
    target = base / f"{hw}-{digest.hexdigest()[:16]}"
    if not target.exists():
        tmp = Path(tempfile.mkdtemp(prefix=f".{hw}-", dir=base))
        (tmp / "manifest.json").write_text(manifest_json)
        for sub in ("hidden_tests", "public_tests"):
            if (src / sub).exists():
                shutil.copytree(src / sub, tmp / sub, ignore=shutil.ignore_patterns("__pycache__"))
        try:
            os.rename(tmp, target)
        except OSError:  # another process won the race: theirs is identical
            shutil.rmtree(tmp, ignore_errors=True)
    return target, root / "solutions"


def notebook_generator(root: Path = REPO):
    """The repository's notebook generator, ``assignments/notebooks_src/make_notebooks.py`` of ``root``,
    imported by path (the folder is not a package)."""
    path = Path(root) / "assignments" / "notebooks_src" / "make_notebooks.py"
    spec = importlib.util.spec_from_file_location(f"nnkit_make_notebooks_{abs(hash(str(path)))}", path)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    return generator


def build_notebooks(root: Path = REPO, homeworks: list[str] | None = None) -> list[Path]:
    """Write each homework's notebook (``assignments/<hw>/<the manifest's notebook>``) from
    its source ``assignments/<hw>/notebook.py``, for every homework that has one.

    Inputs: root (repository), homeworks (default: all). Output: the notebooks whose
    text changed (rewritten). A homework without a notebook source keeps its .ipynb
    (as do all of them in a repository without the generator).
    """
    if not (Path(root) / "assignments" / "notebooks_src" / "make_notebooks.py").is_file():
        return []
    generator = notebook_generator(root)
    changed = []
    for hw in homeworks if homeworks is not None else generator.homeworks():
        if not generator.source_path(hw).is_file():
            continue
        text, path = generator.render(hw), generator.target(hw)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
