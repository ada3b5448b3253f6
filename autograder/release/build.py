"""Step 8: the whole release, all or nothing.

Everything is computed in memory and checked (manifests, markers, stubs,
notebooks, leaks) before anything is written. The zips are then written into
a temporary folder next to ``dist/`` and moved into place one homework folder
at a time (``os.replace``), so a failed build leaves ``dist/`` exactly as it
was. ``student_template/nnkit/`` is rewritten last, only the files that changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.release.errors import Problem, ReleaseError
from autograder.release.layout import Sources, autograder_files, student_files, template_files
from autograder.release.leaks import LeakIndex, check_leaks
from autograder.release.manifest import list_homeworks, load_manifest
from autograder.release.points import check_points
from autograder.release.pycompat import check_python_syntax
from autograder.release.zips import Entry, zip_bytes

TEMPLATE_DIR = Path("student_template") / "nnkit"


@dataclass
class Release:
    """A release computed in memory: ``zips[hw][name] -> bytes``, template files, timings;
    ``template_changed`` lists the template files a build rewrote."""

    zips: dict[str, dict[str, bytes]] = field(default_factory=dict)
    template: dict[str, str] = field(default_factory=dict)
    template_changed: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def reference_texts(root: Path) -> dict[str, str]:
    """Every reference module (name -> text), for the leak index."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((root / "solutions" / "nnkit").glob("*.py"))}


def plan_release(root: Path, homeworks: list[str] | None = None, with_template: bool = True) -> Release:
    """Compute and check a release without writing anything.

    Inputs:
    - root: repository root.
    - homeworks: folder names under assignments/ (None: every homework with a manifest).
    - with_template: also generate student_template/nnkit/ (all modules).

    Returns a Release; raises ReleaseError (every problem found, with file:line).
    """
    root = Path(root)
    start = time.perf_counter()
    available = list_homeworks(root)
    homeworks = available if homeworks is None else list(homeworks)
    unknown = [hw for hw in homeworks if hw not in available]
    if unknown:
        raise ReleaseError(Problem("assignments", 0, f"unknown homework {', '.join(unknown)}: "
                                   f"expected one of {available}"))
    problems: list[Problem] = []
    manifests = []
    for hw in homeworks:
        try:
            manifests.append(load_manifest(root, hw))
        except ReleaseError as exc:
            problems += exc.problems
    if problems:
        raise ReleaseError(problems)

    release = Release()
    sources = Sources(root)
    if with_template:
        release.template = template_files(sources)
    student_entries: dict[str, dict[str, Entry]] = {}
    for manifest in manifests:
        hw = manifest.homework
        try:
            check_points(root, manifest)
            student_entries[hw] = student_files(root, manifest, sources)
            grader = autograder_files(root, manifest, sources)
            check_python_syntax({n: e.data for n, e in student_entries[hw].items()}, f"dist/{hw}/student.zip")
            check_python_syntax({n: e.data for n, e in grader.items()}, f"dist/{hw}/autograder.zip")
        except ReleaseError as exc:
            problems += exc.problems
            continue
        release.zips[manifest.homework] = {
            "student.zip": zip_bytes(student_entries[manifest.homework]),
            "autograder.zip": zip_bytes(grader),
        }
    if problems:
        raise ReleaseError(problems)
    release.seconds["build"] = time.perf_counter() - start

    start = time.perf_counter()
    index = LeakIndex.from_repository(root, reference_texts(root))
    artifacts = {f"dist/{hw}/student.zip": {n: e.data for n, e in entries.items()}
                 for hw, entries in student_entries.items()}
    if with_template:
        artifacts[TEMPLATE_DIR.as_posix()] = {n: t.encode("utf-8") for n, t in release.template.items()}
    check_leaks(index, artifacts)
    release.seconds["leak check"] = time.perf_counter() - start
    return release


def swap_into(out: Path, zips: dict[str, dict[str, bytes]]) -> None:
    """Write ``zips`` into ``out/<hw>/`` via a temporary folder beside ``out``.

    Each homework folder is replaced by one ``os.replace``; nothing in ``out``
    changes until every zip of every homework is written.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        for hw, files in zips.items():
            (staging / hw).mkdir()
            for name, data in files.items():
                (staging / hw / name).write_bytes(data)
        out.mkdir(exist_ok=True)
        for hw in zips:
            target = out / hw
            if target.exists():
                os.replace(target, staging / f"{hw}.previous")
            os.replace(staging / hw, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_template(root: Path, template: dict[str, str]) -> list[str]:
    """Make student_template/nnkit/ equal ``template``; return the names that changed."""
    folder = Path(root) / TEMPLATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in sorted(template.items()):
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            tmp = path.with_name(f".{name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
            changed.append(name)
    for path in sorted(folder.glob("*.py")):
        if path.name not in template:
            path.unlink()
            changed.append(path.name)
    return changed


def template_differences(root: Path) -> list[str]:
    """Names in student_template/nnkit/ that differ from what the reference generates now
    (changed, missing or extra); empty when the committed template is up to date."""
    expected = template_files(Sources(Path(root)))
    folder = Path(root) / TEMPLATE_DIR
    present = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.py")} if folder.is_dir() else {}
    changed = [n for n in sorted(expected) if present.get(n) != expected[n]]
    return changed + [f"{n} (extra)" for n in sorted(set(present) - set(expected))]


def build_release(root: Path, out: Path, homeworks: list[str] | None = None,
                  with_template: bool = True) -> Release:
    """``plan_release`` then write: dist/<hw>/{student,autograder}.zip and the template."""
    release = plan_release(root, homeworks, with_template)
    start = time.perf_counter()
    swap_into(out, release.zips)
    if with_template:
        release.template_changed = write_template(root, release.template)
    release.seconds["write"] = time.perf_counter() - start
    return release
