"""A synthetic Gradescope export of N submissions, for tests, benchmarks and demos.

The mix cycles through: the reference (correct), a bank mutant (buggy), a
correct bank alternative, a broken submission (syntax error, empty folder,
only a README) and a hostile one (an infinite loop or ``sys.exit`` at import,
``os._exit`` in a function), in a fixed order shuffled by ``seed``, so that a
given (hw, n, seed) always makes the same export. ``submission_metadata.yml``
is written the way Gradescope writes it (Ruby symbols as ``:key:``).

``nnkit synthetic OUT --hw HW -n N`` writes one (``python -m
autograder.instructor.synthetic`` does the same).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from autograder.instructor.bank import ROOT, build_submission, load_bank, write_reference
from autograder.release.manifest import read_manifest

KINDS = ("correct", "buggy", "buggy", "alternative", "broken", "hostile")  # buggy twice: the common case
BROKEN = ("syntax_error", "empty", "readme_only")
HOSTILE = ("infinite_loop", "sys_exit", "os_exit_in_function")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _broken(folder: Path, hw: str, how: str, root: Path) -> None:
    folder.mkdir(parents=True)
    if how == "empty":
        return
    if how == "readme_only":
        (folder / "README.txt").write_text("I could not finish the homework, sorry.\n")
        return
    package = write_reference(folder, hw, root)
    module = read_manifest(root, hw).modules[0]
    _append(package / f"{module}.py", "\n\ndef unfinished(x:\n    return x\n")


def _hostile(folder: Path, hw: str, how: str, root: Path) -> None:
    folder.mkdir(parents=True)
    package = write_reference(folder, hw, root)
    manifest = read_manifest(root, hw)
    module = manifest.modules[-1]
    if how == "infinite_loop":
        _append(package / f"{module}.py", "\n\nwhile True:  # hostile: never finishes importing\n    pass\n")
    elif how == "sys_exit":
        _append(package / f"{module}.py", "\n\nimport sys\nsys.exit(0)  # hostile: leave before grading\n")
    else:
        name = manifest.questions[0]["functions"][0]
        mod, func = name.split(".")
        _append(package / f"{mod}.py", f"\n\ndef {func}(*args, **kwargs):\n    import os\n    os._exit(0)\n")


def make_export(dest: Path, hw: str, n: int, seed: int = 0, root: Path = ROOT,
                hostile: tuple[str, ...] = HOSTILE) -> list[dict]:
    """Write ``n`` submissions of homework ``hw`` and their metadata into ``dest``.

    ``hostile`` picks the hostile behaviours used (an infinite loop costs the
    grader its per-question time limits, tens of seconds: benchmarks may leave it out).

    Returns one dict per submission: ``id``, ``kind`` (correct, buggy,
    alternative, broken, hostile), ``detail`` (the bank entry or the breakage)
    and ``name``/``email`` as in the metadata.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1 submissions, got {n}")
    if not hostile or set(hostile) - set(HOSTILE):
        raise ValueError(f"hostile must be a non-empty subset of {HOSTILE}, got {hostile!r}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    kinds = [KINDS[i % len(KINDS)] for i in range(n)]
    rng.shuffle(kinds)
    buggy, correct = load_bank(hw, "buggy", root), load_bank(hw, "correct", root)
    made = []
    for i, kind in enumerate(kinds):
        sid = f"submission_{100001 + i}"
        folder = dest / sid
        if kind == "correct":
            folder.mkdir()
            write_reference(folder, hw, root)
            detail = "reference"
        elif kind in ("buggy", "alternative"):
            entry = (buggy if kind == "buggy" else correct)[i % len(buggy if kind == "buggy" else correct)]
            build_submission(entry, folder, root)
            detail = entry.name
        elif kind == "broken":
            detail = BROKEN[i % len(BROKEN)]
            _broken(folder, hw, detail, root)
        else:
            detail = hostile[i % len(hostile)]
            _hostile(folder, hw, detail, root)
        made.append({"id": sid, "kind": kind, "detail": detail,
                     "name": f"Student {i + 1:03d}", "email": f"student{i + 1:03d}@example.edu", "sid": f"{9000 + i}"})
    lines = []
    for s in made:
        lines += [f"{s['id']}:", "  :submitters:", f"  - :name: {s['name']}", f"    :sid: '{s['sid']}'",
                  f"    :email: {s['email']}", "  :created_at: 2026-11-20 14:03:12.000000000 -08:00",
                  "  :score: 0.0"]
    (dest / "submission_metadata.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return made


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--hw", required=True)
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    made = make_export(args.out, args.hw, args.n, args.seed)
    print(f"wrote {len(made)} submissions of {args.hw} to {args.out}")


if __name__ == "__main__":
    main()
