"""How strong are the hidden tests? Grade every bank entry of a homework and judge.

Verdicts (the rule ``nnkit audit`` exits by):

- a **mutant is killed** when *every* question in its ``KILLED_BY`` loses
  points (scores below its maximum); it **survives** when any of them keeps
  full marks. Other questions losing points too is allowed (a bug in
  ``layers`` may also break the network) and shown as collateral.
- a **correct alternative passes** when no question loses any point.
- an entry whose grading itself failed (timeout, crash of the grader) is an
  **error**: the audit cannot vouch for it, so it fails too.

The audit passes when every mutant is killed, every alternative passes and
nothing errored.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.instructor.bank import BankEntry, build_submission, load_bank
from autograder.instructor.executor import Grader, Job, grade_all
from autograder.instructor.gradebook import EPS, lost_points
from autograder.instructor.grade_one import DEFAULT_GRADER
from autograder.release.manifest import read_manifest
from autograder.repo import REPO as ROOT


@dataclass
class EntryResult:
    """One entry's grading: which questions lost points and which tests failed."""

    entry: BankEntry
    lost: dict[str, bool] = field(default_factory=dict)
    failed_tests: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0  # grading time of this entry

    @property
    def verdict(self) -> str:
        """killed / survived (buggy), ok / lost points (correct), or error."""
        if self.error:
            return "error"
        if self.entry.kind == "buggy":
            return "killed" if all(self.lost.get(q, False) for q in self.entry.killed_by) else "survived"
        return "lost points" if any(self.lost.values()) else "ok"

    @property
    def passed(self) -> bool:
        return self.verdict in ("killed", "ok")

    @property
    def survivors_on(self) -> list[str]:
        """The KILLED_BY questions that kept full marks."""
        return [q for q in self.entry.killed_by if not self.lost.get(q, False)]


@dataclass
class AuditReport:
    hw: str
    questions: list[dict]
    results: list[EntryResult]
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def mutants(self) -> list[EntryResult]:
        return [r for r in self.results if r.entry.kind == "buggy"]

    def alternatives(self) -> list[EntryResult]:
        return [r for r in self.results if r.entry.kind == "correct"]


def judge(entry: BankEntry, results: dict | None, error: str | None, questions: list[dict]) -> EntryResult:
    """The EntryResult of one entry from its results.json (or the error that replaced it)."""
    if results is None:
        return EntryResult(entry, error=error or "not graded")
    failed = [f"{t.get('number', '?')} {t.get('name', '')}".strip() for t in results.get("tests", [])
              if float(t.get("score") or 0.0) < float(t.get("max_score") or 0.0) - EPS]
    return EntryResult(entry, lost_points(results, questions), failed)


def run_audit(hw: str, *, jobs: int | None = None, timeout: float = 600.0, grader: str = DEFAULT_GRADER,
              dirs: tuple[Path, Path] | None = None, pythonpath: tuple[Path, ...] = (),
              progress: bool = True, root: Path = ROOT) -> AuditReport:
    """Grade every bank entry of ``hw`` (in parallel, like a regrade) and judge each one."""
    start = time.monotonic()
    questions = read_manifest(root, hw).questions
    entries = load_bank(hw, root=root)
    if dirs is None:
        from autograder.instructor.regrade import homework_dirs

        dirs = homework_dirs(hw)
    engine = Grader(*dirs, grader=grader, timeout=timeout, pythonpath=pythonpath)
    with tempfile.TemporaryDirectory(prefix=f"nnkit-audit-{hw}-") as tmp:
        jobs_list = []
        for entry in entries:
            folder = Path(tmp) / entry.kind / entry.name
            build_submission(entry, folder / "submission", root)
            jobs_list.append(Job(entry.key, folder / "submission", folder / "results.json"))
        outcomes = grade_all(jobs_list, engine, jobs, progress=progress, desc=f"audit {hw}")
    results = [judge(e, o.results, o.error, questions) for e, o in zip(entries, outcomes)]
    for result, outcome in zip(results, outcomes):
        result.seconds = outcome.seconds
    return AuditReport(hw, questions, results, time.monotonic() - start)


def format_audit(report: AuditReport) -> str:
    """The audit as text: per question the mutants killed and the survivors, then alternatives and errors."""
    lines = [f"== audit {report.hw}: {len(report.mutants())} mutants, {len(report.alternatives())} "
             f"correct alternatives ({report.seconds:.1f} s)"]
    for q in report.questions:
        number = q["number"]
        aimed = [r for r in report.mutants() if number in r.entry.killed_by and r.verdict != "error"]
        killed = [r.entry.name for r in aimed if r.lost.get(number)]
        survived = [r.entry.name for r in aimed if not r.lost.get(number)]
        collateral = [r.entry.name for r in report.mutants()
                      if number not in r.entry.killed_by and r.lost.get(number)]
        line = f"{number:>5} {q['name'][:40]:<40} killed {len(killed)}/{len(aimed)}"
        lines.append(line)
        if killed:
            lines.append(f"        killed:    {', '.join(killed)}")
        if survived:
            lines.append(f"        SURVIVED:  {', '.join(survived)}")
        if collateral:
            lines.append(f"        also lost points here: {', '.join(collateral)}")
    bad_alternatives = [r for r in report.alternatives() if r.verdict == "lost points"]
    ok_alternatives = [r for r in report.alternatives() if r.verdict == "ok"]
    lines.append(f"correct alternatives with full marks: {len(ok_alternatives)}/{len(report.alternatives())}")
    for r in bad_alternatives:
        lost = [q for q, v in r.lost.items() if v]
        lines.append(f"  LOST POINTS {r.entry.name} ({r.entry.doc}) on {', '.join(lost)}: "
                     f"{'; '.join(r.failed_tests[:4])}")
    for r in report.mutants():
        if r.verdict == "survived":
            lines.append(f"  SURVIVOR {r.entry.name}: {r.entry.doc} (full marks on {', '.join(r.survivors_on)})")
    for r in report.results:
        if r.verdict == "error":
            lines.append(f"  ERROR {r.entry.key}: {r.error}")
    slowest = sorted(report.results, key=lambda r: -r.seconds)[:3]
    lines.append("slowest to grade: " + ", ".join(f"{r.entry.name} {r.seconds:.1f} s" for r in slowest))
    killed = sum(r.verdict == "killed" for r in report.mutants())
    lines.append(f"mutants killed {killed}/{len(report.mutants())}; "
                 f"{'PASS' if report.passed else 'FAIL'}")
    return "\n".join(lines)
