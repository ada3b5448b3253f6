"""Regrade a whole class: export folder in, gradebook.csv + results + report.html out.

``OUT/results/<submission id>/results.json`` is written per submission as soon
as it is graded (atomically), so a rerun skips what is done and Ctrl-C loses
nothing already graded; the gradebook and report are rewritten at the end of
every run (also an interrupted one) from everything graded so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.instructor.executor import SUBMISSION_TIMEOUT, Grader, Job, Outcome, grade_all
from autograder.instructor.export import read_export, unpack_export
from autograder.instructor.gradebook import Row, make_row, write_gradebook
from autograder.instructor.grade_one import DEFAULT_GRADER
from autograder.release.manifest import read_manifest
from autograder.repo import REPO as ROOT, list_homeworks


@dataclass
class RegradeSummary:
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)
    graded: int = 0  # graded in this run
    reused: int = 0  # results found from an earlier run
    errors: int = 0
    gradebook: Path | None = None
    report: Path | None = None
    interrupted: bool = False


def safe_name(sid: str) -> str:
    """A folder name for a submission id (ids come from the export; never let one escape OUT)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", sid).lstrip(".")
    return name or "_"


def homework_dirs(hw: str) -> tuple[Path, Path]:
    """``(homework, reference)`` folders of homework ``hw`` from the repository (the grading engine's)."""
    from autograder.repo import homework_from_repo

    homework, reference = homework_from_repo(hw)
    return Path(homework), Path(reference)


def regrade(export: Path, hw: str, out: Path, *, jobs: int | None = None, timeout: float = SUBMISSION_TIMEOUT,
            grader: str = DEFAULT_GRADER, dirs: tuple[Path, Path] | None = None,
            pythonpath: tuple[Path, ...] = (), progress: bool = True, report: bool = True,
            on_warning=None) -> RegradeSummary:
    """Grade every submission of ``export`` for homework ``hw`` into ``out``.

    Inputs:
    - export: Gradescope export folder or zip (or a folder of submission folders)
    - hw: homework name (``assignments/<hw>``)
    - out: output folder (created); holds results/, gradebook.csv, report.html, plots/
    - jobs: parallel graders (default: the number of cores)
    - timeout: seconds one submission may take before it is stopped and marked as an error
    - grader, dirs, pythonpath: the grading function (``module:function``) and its homework
      and reference folders (default: the grading engine's, from the repository)
    - report: also write report.html and its plots (matplotlib; about a second)
    - on_warning: called with each warning about the export before grading starts
    """
    if hw not in list_homeworks(ROOT):
        raise ValueError(f"unknown homework {hw!r}: expected one of {list_homeworks(ROOT)}")
    questions = read_manifest(ROOT, hw).questions
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    export = unpack_export(Path(export), out / "export")
    submissions, warnings = read_export(export)
    for warning in warnings if on_warning else ():
        on_warning(warning)
    homework, reference = dirs if dirs is not None else homework_dirs(hw)
    engine = Grader(homework, reference, grader=grader, timeout=timeout, pythonpath=pythonpath)
    jobs_list = [Job(s.id, s.path, out / "results" / safe_name(s.id) / "results.json", s.problem)
                 for s in submissions]
    if len({j.results_path for j in jobs_list}) != len(jobs_list):
        raise ValueError("two submission ids map to the same results folder; rename one of them")
    interrupted = False
    try:
        outcomes = grade_all(jobs_list, engine, jobs, progress=progress, desc=f"regrade {hw}")
    except KeyboardInterrupt:
        interrupted = True
        from autograder.instructor.executor import load_results

        outcomes = [Outcome(j.id, results=load_results(j.results_path),
                            error=None if load_results(j.results_path) else "interrupted before grading")
                    for j in jobs_list]
    rows = [make_row(s.id, o.results, o.error, questions, s.name, s.email) for s, o in zip(submissions, outcomes)]
    summary = RegradeSummary(rows, warnings, interrupted=interrupted,
                             graded=sum(1 for o in outcomes if o.results is not None and not o.reused),
                             reused=sum(1 for o in outcomes if o.reused),
                             errors=sum(1 for r in rows if r.error))
    summary.gradebook = out / "gradebook.csv"
    write_gradebook(summary.gradebook, rows, questions)
    if report:
        from autograder.instructor.report import write_report  # matplotlib: only when a report is wanted

        summary.report = write_report(out, rows, questions, f"Regrade of {hw}: {Path(export).name}")
    return summary
