"""``nnkit regrade``, ``nnkit audit`` and ``nnkit synthetic``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from autograder.instructor.executor import SUBMISSION_TIMEOUT
from autograder.instructor.grade_one import DEFAULT_GRADER

_JOBS = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     help="parallel graders [default: the number of cores]")
_TIMEOUT = click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=SUBMISSION_TIMEOUT, show_default=True,
                        help="wall seconds one submission may take before it is stopped and marked as an error "
                             "(a last resort: every question has its own CPU-time budget)")
_GRADER = click.option("--grader", default=DEFAULT_GRADER, show_default=True, hidden=True,
                       help="grading function module:function (for tests)")


@click.command()
@click.argument("export", type=click.Path(path_type=Path))
@click.option("--hw", required=True, help="homework, e.g. hw1_backprop")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="output folder")
@_JOBS
@_TIMEOUT
@_GRADER
@click.option("--quiet", is_flag=True, help="no progress bar")
def regrade(export, hw, out, jobs, timeout, grader, quiet):
    """Grade every submission of EXPORT (a Gradescope export folder or zip, or a folder of submission folders).

    Writes OUT/results/<id>/results.json per submission, OUT/gradebook.csv and
    OUT/report.html. A rerun skips submissions already graded.
    """
    from autograder.instructor.regrade import regrade as run

    try:
        summary = run(export, hw, out, jobs=jobs, timeout=timeout, grader=grader, progress=not quiet,
                      on_warning=lambda text: click.echo(f"warning: {text}", err=True))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    empty = sum(1 for row in summary.rows if row.status == "empty")
    click.echo(f"{len(summary.rows)} submissions: {summary.graded} graded now, {summary.reused} already graded, "
               f"{empty} empty (0 points), {summary.errors} errors")
    for row in summary.rows:
        if row.error:
            click.echo(f"  error {row.id}: {row.error}")
    click.echo(f"gradebook: {summary.gradebook}\nreport:    {summary.report}")
    if summary.interrupted:
        click.echo("interrupted: rerun the same command to grade the rest", err=True)
        sys.exit(130)


@click.command()
@click.option("--hw", required=True, help="homework (e.g. hw1_backprop) or 'all'")
@_JOBS
@_TIMEOUT
@_GRADER
@click.option("--quiet", is_flag=True, help="no progress bar")
def audit(hw, jobs, timeout, grader, quiet):
    """Run the hidden tests against the bank of mutants and correct alternatives.

    A mutant is killed when every question in its KILLED_BY loses points; it
    survives when any of them keeps full marks. A correct alternative must keep
    full marks everywhere. Exit status 1 if any mutant survives or any
    alternative loses a point.
    """
    from autograder.instructor.audit import format_audit, run_audit
    from autograder.repo import list_homeworks

    homeworks = list_homeworks()
    names = homeworks if hw == "all" else [hw]
    if hw != "all" and hw not in homeworks:
        raise click.ClickException(f"unknown homework {hw!r}: expected one of {homeworks} or 'all'")
    ok = True
    for name in names:
        report = run_audit(name, jobs=jobs or os.cpu_count(), timeout=timeout, grader=grader, progress=not quiet)
        click.echo(format_audit(report))
        ok &= report.passed
    sys.exit(0 if ok else 1)


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--hw", required=True, help="homework, e.g. hw1_backprop")
@click.option("-n", "count", type=click.IntRange(min=1), default=50, show_default=True, help="number of submissions")
@click.option("--seed", type=int, default=0, show_default=True, help="shuffles the mix; same seed, same export")
def synthetic(out, hw, count, seed):
    """Write a synthetic Gradescope export of a class into OUT, to try regrade on.

    The mix cycles through the reference, bank mutants, correct bank
    alternatives, broken submissions (a syntax error, an empty folder, only a
    README) and hostile ones (an endless loop or sys.exit at import, os._exit in
    a function), with Gradescope's submission_metadata.yml. Then:
    ``nnkit regrade OUT --hw HW --out graded/``.
    """
    from autograder.instructor.synthetic import make_export
    from autograder.repo import list_homeworks

    if hw not in list_homeworks():
        raise click.ClickException(f"unknown homework {hw!r}: expected one of {list_homeworks()}")
    made = make_export(out, hw, count, seed)
    kinds = {}
    for submission in made:
        kinds[submission["kind"]] = kinds.get(submission["kind"], 0) + 1
    click.echo(f"wrote {len(made)} submissions of {hw} to {out} ("
               + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) + ")")
