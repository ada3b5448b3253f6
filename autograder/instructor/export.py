"""Read a class's submissions: a Gradescope export or a plain folder of submission folders.

Gradescope's "Export Submissions" unzips to one folder per submission
(``submission_<id>/``) next to ``submission_metadata.yml``, a YAML mapping
written from Ruby, hence the ``:key:`` spelling::

    submission_123456:
      :submitters:
      - :name: Ada Lovelace
        :sid: '42'
        :email: ada@example.edu
      :created_at: 2026-11-20 14:03:12.000000000 -08:00
      :score: 87.0

The export may also be given as the zip Gradescope downloads (``unpack_export``).
Without a (usable) metadata file every sub-folder (and top-level ``.zip``) is a
submission, named by its folder. Nothing here reads submission contents
beyond listing them.
"""

from __future__ import annotations

import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml

METADATA = "submission_metadata.yml"


@dataclass
class Submission:
    """One submission to grade.

    - id: the folder (or zip) name, unique within the export
    - path: the folder or zip to hand to the grader
    - name, email, sid: the submitters' (joined with "; " for a group), "" when unknown
    - problem: why it cannot be graded at all (missing, unreadable, empty), else None
    """

    id: str
    path: Path
    name: str = ""
    email: str = ""
    sid: str = ""
    problem: str | None = None


def _field(submitters: list, key: str) -> str:
    values = [str(s.get(f":{key}", s.get(key, ""))) for s in submitters if isinstance(s, dict)]
    return "; ".join(v for v in values if v and v != "None")


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """``submission_metadata.yml`` -> {folder: {"name", "email", "sid"}}.

    Raises ValueError saying what was expected when the file is not a mapping
    of folder names to entries with a ``:submitters:`` list.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{path.name} cannot be read as YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{path.name} must map submission folders to their metadata, got {type(data).__name__}")
    people = {}
    for folder, entry in data.items():
        submitters = entry.get(":submitters", entry.get("submitters")) if isinstance(entry, dict) else None
        if not isinstance(submitters, list):
            raise ValueError(f"{path.name}: entry {folder!r} has no ':submitters:' list (got {entry!r:.80})")
        people[str(folder)] = {k: _field(submitters, k) for k in ("name", "email", "sid")}
    return people


# Why a submission is not graded because nothing was handed in: it scores 0 (as on Gradescope).
EMPTY_FILE = "empty file"
EMPTY_FOLDER = "empty submission folder (no files)"
NOTHING_HANDED_IN = (EMPTY_FILE, EMPTY_FOLDER)


def _problem(path: Path) -> str | None:
    """Why a submission folder cannot be graded, or None."""
    if path.is_file():
        return None if path.stat().st_size else EMPTY_FILE
    if not path.is_dir():
        return "missing: listed in the metadata but not in the export"
    if not os.access(path, os.R_OK | os.X_OK):
        return "unreadable submission folder (permission denied)"
    try:
        for _, _, files in os.walk(path, onerror=_raise):
            if files:
                return None
    except OSError as exc:
        return f"unreadable submission folder: {exc.strerror or exc}"
    return EMPTY_FOLDER


def _raise(exc: OSError):
    raise exc


def _listing(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if not p.name.startswith((".", "_")) and (p.is_dir() or p.suffix in (".zip", ".ipynb", ".py")))


def unpack_export(path: Path, dest: Path) -> Path:
    """The export folder: ``path`` itself, or Gradescope's export zip unpacked into ``dest``.

    When the metadata (or, without it, everything) sits in one top folder of
    the zip, that folder is the export. zipfile drops ``..`` and absolute parts of member names, so
    nothing lands outside ``dest``.
    """
    path = Path(path)
    if not path.is_file():
        return path  # a folder (or nothing: read_export says so)
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path} is not a zip file (a corrupt download?): expected Gradescope's export zip "
                         "or an export folder")
    dest = Path(dest)
    if not dest.is_dir():
        tmp = dest.with_name(dest.name + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(tmp)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:  # truncated or damaged members
            shutil.rmtree(tmp, ignore_errors=True)
            raise ValueError(f"{path} is a damaged zip file ({exc}): download the export again") from None
        tmp.rename(dest)  # all or nothing: a rerun never sees half an export
    if (dest / METADATA).exists():
        return dest
    folders = [p for p in dest.iterdir() if p.is_dir() and not p.name.startswith((".", "__MACOSX"))]
    with_metadata = [p for p in folders if (p / METADATA).exists()]
    if len(with_metadata) == 1:
        return with_metadata[0]
    return folders[0] if len(folders) == 1 else dest


def read_export(folder: Path) -> tuple[list[Submission], list[str]]:
    """The submissions of an export folder, and warnings for the instructor.

    Inputs:
    - folder: a Gradescope export (with ``submission_metadata.yml``) or a folder of submission folders

    Returns ``(submissions, warnings)``, submissions sorted by id. A missing or
    malformed metadata file is a warning and the folder listing is used. Raises
    ValueError when the folder does not exist or holds nothing to grade.
    """
    folder = Path(folder)
    if not folder.exists():
        raise ValueError(f"{folder} does not exist: expected a Gradescope export (folder or zip)")
    if not folder.is_dir():
        raise ValueError(f"expected a folder of submissions or an export zip (a Gradescope export), got {folder}")
    warnings: list[str] = []
    people: dict[str, dict[str, str]] = {}
    meta = folder / METADATA
    if meta.exists():
        try:
            people = read_metadata(meta)
        except ValueError as exc:
            warnings.append(f"{exc}; grading every sub-folder of {folder} instead")
    else:
        warnings.append(f"no {METADATA} in {folder}: a plain folder of submissions, named by folder")
    paths = {p.name: p for p in _listing(folder)}
    ids = sorted(set(paths) | set(people))
    if not ids:
        raise ValueError(f"nothing to grade in {folder}: expected {METADATA} and/or submission folders")
    submissions = []
    for sid in ids:
        path = paths.get(sid, folder / sid)
        submissions.append(Submission(sid, path, **people.get(sid, {}), problem=_problem(path)))
    if people:
        unlisted = sorted(set(paths) - set(people))
        if unlisted:
            warnings.append(f"{len(unlisted)} folder(s) not in {METADATA}, graded without names: {unlisted[:5]}")
    return submissions, warnings
