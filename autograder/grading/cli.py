"""``nnkit grade``: the grading engine on the instructor's machine (``nnkit check`` is autograder/student/cli.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click


def points_text(value: float) -> str:
    """``3.33`` for 10/3, ``4`` for 4.0: at most two decimals, as the reasons show points lost."""
    return f"{round(value, 2):g}"


def format_results(results: dict, width: int = 110) -> str:
    """A table ``question | points | reason`` of a results.json dict (first line of each reason)."""
    lines = [f"{'test':<8} {'points':>11}  reason", "-" * width]
    for test in results["tests"]:
        first = next((ln for ln in test["output"].splitlines() if ln.startswith("✗")), test["output"].splitlines()[0]
                     if test["output"] else "")
        points = f"{points_text(test['score'])}/{points_text(test['max_score'])}"
        lines.append(f"{test['number']:<8} {points:>11}  {test['name'][:60] if test['status'] == 'passed' else first[:width - 22]}")
    total = sum(t["max_score"] for t in results["tests"])
    lines.append("-" * width)
    lines.append(f"{'total':<8} {points_text(results['score'])}/{points_text(total)}".rstrip() + f"   ({results['execution_time']:.1f} s)")
    if results["output"]:
        lines.append("")
        lines.append(results["output"])
    return "\n".join(lines)


def default_results_path(submission: Path, hw: str) -> Path:
    """Where ``nnkit grade`` writes results.json unless told: outside any repository, in the
    user's cache, one file per homework and submission name.

    Output: ``$XDG_CACHE_HOME/nnkit/grade/<hw>/<submission name>/results.json``
    (``~/.cache`` when XDG_CACHE_HOME is not set).
    """
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(submission).resolve().name).lstrip(".") or "submission"
    return cache / "nnkit" / "grade" / hw / name / "results.json"


@click.command()
@click.argument("submission", type=click.Path(exists=True, path_type=Path))
@click.option("--hw", required=True, help="homework name, e.g. hw1_backprop")
@click.option("--results", "results_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="where to write results.json [default: ~/.cache/nnkit/grade/<hw>/<submission>/results.json]")
@click.option("--full", is_flag=True, help="print every test's full output after the table")
def grade(submission: Path, hw: str, results_path: Path | None, full: bool):
    """Grade SUBMISSION (folder, zip, .py file or notebook) with the hidden tests of HW.

    Prints a table and writes results.json (Gradescope's format) to --results,
    by default into the user's cache so that nothing lands in a repository.
    """
    from autograder.grading import grade_submission
    from autograder.repo import homework_from_repo

    try:
        homework, reference = homework_from_repo(hw)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--hw") from None
    if results_path is None:
        results_path = default_results_path(submission, hw)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    results = grade_submission(submission, homework, reference, results_path)
    click.echo(format_results(results))
    if full:
        for test in results["tests"]:
            click.echo(f"\n== {test['number']} {test['name']} ({points_text(test['score'])}/{points_text(test['max_score'])})\n{test['output']}")
    click.echo(f"\nresults.json written to {results_path}")
