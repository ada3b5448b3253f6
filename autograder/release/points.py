"""Release step: the hidden tests' points add up to the manifest's.

Each ``@question`` test declares its points and the runner checks at grading
time that its parts add up to them; what only the release can check is the
other half: that for every question of ``manifest.toml`` the tests numbered
``"<question>.<k>"`` add up to the question's ``points``, that no test number
is used twice, and that no test belongs to a question the manifest lacks.
A homework then cannot be released whose Gradescope total differs from the
one its manifest (and its student README) announces.
"""

from __future__ import annotations

from pathlib import Path

from autograder.release.errors import Problem, ReleaseError, display_path
from autograder.release.manifest import Manifest, _line_of


def declared_points(hidden_dir: Path) -> tuple[dict[str, list[tuple[str, float, str]]], list[str]]:
    """Tests of ``hidden_dir`` by question.

    Returns ``({question: [(test number, points, "file:line"), ...]}, load errors)``;
    a hidden-test file that does not import is a load error (its message names the file).
    """
    # the grading side's loader and the authoring API's registry, imported only when a release is
    # checked (release -> grading, never back)
    from autograder.authoring.question import questions_in
    from autograder.grading.runner import load_test_modules

    modules, errors = load_test_modules(hidden_dir)
    by_question: dict[str, list[tuple[str, float, str]]] = {}
    for module in modules:
        for spec in questions_in(module):
            question = ".".join(spec.number.split(".")[:2])
            by_question.setdefault(question, []).append((spec.number, spec.points, spec.where))
    return by_question, errors


def check_points(root: Path, manifest: Manifest) -> None:
    """Raise ReleaseError (with ``file:line``) unless the hidden tests' points match ``manifest``."""
    hidden = Path(root) / "assignments" / manifest.homework / "hidden_tests"
    shown_hidden = display_path(hidden, root)
    shown_manifest = display_path(manifest.path, root)
    text = manifest.path.read_text(encoding="utf-8")
    by_question, errors = declared_points(hidden)
    problems = [Problem(shown_hidden, 0, message) for message in errors]

    seen: dict[str, str] = {}
    for tests in by_question.values():
        for number, _, where in tests:
            if number in seen:
                problems.append(Problem(f"{shown_hidden}/{where}", 0,
                                        f"test number {number} is used twice (also {seen[number]})"))
            seen.setdefault(number, where)

    wanted = {q["number"]: float(q["points"]) for q in manifest.questions}
    for number, points in wanted.items():
        tests = by_question.get(number, [])
        got = sum(p for _, p, _ in tests)
        if abs(got - points) > 1e-6:
            listing = ", ".join(f"{n} ({p:g}, {w})" for n, p, w in tests) or "none"
            problems.append(Problem(shown_manifest, _line_of(text, f'"{number}"'),
                                    f"question {number} is worth {points:g} points, but its hidden tests in "
                                    f"{shown_hidden}/ add up to {got:g}: {listing}"))
    for number, tests in sorted(by_question.items()):
        if number not in wanted:
            for test, _, where in tests:
                problems.append(Problem(f"{shown_hidden}/{where}", 0,
                                        f"test {test} belongs to question {number}, which {shown_manifest} "
                                        "does not have"))
    if problems:
        raise ReleaseError(problems)
