"""How strong are the hidden tests? Grade every bank entry of a homework and judge.

Verdicts (the rule ``nnkit audit`` exits by):

- a mutant's **own question** is, for each API function it replaces, the
  first question of the manifest listing that function; the function's
  **part** there is the question's ``shares`` entry for it if the manifest
  gives one, else the question's points divided by the number of functions
  the question lists. A backward function's part is split evenly among its
  gradients (they earn credit separately): one wrong gradient must cost at
  least its share.
- a **mutant is killed** when every question in its ``KILLED_BY`` loses
  points (scores below its maximum) *and* it loses at least its function's
  part (one gradient's share, for a backward function) in its own
  question. It **survives** when a ``KILLED_BY`` question
  keeps full marks, and is **weak** when it is caught but loses less than
  its part there (e.g. a bug of ``rmsprop_step`` caught only by 2.6
  ``train``). Other questions losing points too is allowed (a bug in
  ``layers`` may also break the network) and shown as collateral.
- a **correct alternative passes** when no question loses any point.
- an entry whose grading itself failed (timeout, crash of the grader) is an
  **error**: the audit cannot vouch for it, so it fails too.

The audit passes when every mutant is killed, every alternative passes and
nothing errored. ``format_audit`` prints, per mutant, the points it lost in
its own question next to the part it had to lose.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.api_spec import API, signature_params
from autograder.instructor.bank import BankEntry, build_submission, load_bank
from autograder.instructor.executor import SUBMISSION_TIMEOUT, Grader, Job, grade_all
from autograder.instructor.gradebook import EPS, question_scores
from autograder.instructor.grade_one import DEFAULT_GRADER
from autograder.release.manifest import read_manifest
from autograder.repo import REPO as ROOT


@dataclass(frozen=True)
class OwnPart:
    """Where one replaced function is graded: its own question and the points it is worth there.

    - function: "module.function"; question: the first manifest question listing it
    - part: its share of that question: the question's ``shares`` entry if the manifest gives
      one, else the question's points divided by the number of functions it lists
    - outputs: how many outputs are graded separately (the gradients of a backward function, else 1)
    """

    function: str
    question: str
    part: float
    outputs: int = 1

    @property
    def threshold(self) -> float:
        """The least a mutant must lose there: the share of one wrong output (per-gradient credit)."""
        return self.part / self.outputs


def graded_outputs(module: str, function: str) -> int:
    """1, or the number of gradients of a ``*_backward`` function (its parameters after ``dout`` without defaults)."""
    params = signature_params(API.get(module, {}).get(function, "()")) or []
    if not function.endswith("_backward"):
        return 1
    return max(1, len([n for n, has_default in params if not has_default and n not in ("*", "**")]) - 1)


def own_parts(entry: BankEntry, questions: list[dict]) -> list[OwnPart]:
    """The own question and part of every API function ``entry`` replaces (manifest order).

    Inputs: entry: a bank entry; questions: the manifest's questions (dicts with
    number, points, functions, optionally shares = {"module.function": points}).
    A function no question lists has no part.
    """
    parts = []
    for name in entry.api_functions:
        target = f"{entry.module}.{name}"
        q = next((q for q in questions if target in q["functions"]), None)
        if q is not None:
            share = (q.get("shares") or {}).get(target, float(q["points"]) / len(q["functions"]))
            parts.append(OwnPart(target, q["number"], float(share), graded_outputs(entry.module, name)))
    return parts


def points_lost(results: dict, questions: list[dict]) -> dict[str, float]:
    """question number -> points below its maximum in ``results`` (a question with no tests lost all)."""
    out = {}
    scores = question_scores(results, questions)
    for q in questions:
        score, maximum = scores[q["number"]]
        full = maximum if maximum > 0 else float(q.get("points", 0))
        out[q["number"]] = full if maximum <= 0 else max(0.0, full - score)
    return out


@dataclass
class EntryResult:
    """One entry's grading: the points each question lost and which tests failed."""

    entry: BankEntry
    lost_points: dict[str, float] = field(default_factory=dict)
    failed_tests: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0  # grading time of this entry
    own: list[OwnPart] = field(default_factory=list)

    @property
    def lost(self) -> dict[str, bool]:
        """question -> whether it lost points."""
        return {q: v > EPS for q, v in self.lost_points.items()}

    @property
    def strong(self) -> bool:
        """Whether some replaced function lost at least its part in its own question (vacuous without parts)."""
        # 1e-3: results.json rounds scores to 4 decimals (a 10/3-point share is lost as 3.3333)
        return not self.own or any(self.lost_points.get(p.question, 0.0) >= p.threshold - 1e-3 for p in self.own)

    @property
    def verdict(self) -> str:
        """killed / survived / weak (buggy), ok / lost points (correct), or error."""
        if self.error:
            return "error"
        if self.entry.is_mutant:
            if not all(self.lost.get(q, False) for q in self.entry.killed_by):
                return "survived"
            return "killed" if self.strong else "weak"
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
        return [r for r in self.results if r.entry.is_mutant]

    def alternatives(self) -> list[EntryResult]:
        return [r for r in self.results if r.entry.kind == "correct"]


def judge(entry: BankEntry, results: dict | None, error: str | None, questions: list[dict]) -> EntryResult:
    """The EntryResult of one entry from its results.json (or the error that replaced it)."""
    own = own_parts(entry, questions)
    if results is None:
        return EntryResult(entry, error=error or "not graded", own=own)
    failed = [f"{t.get('number', '?')} {t.get('name', '')}".strip() for t in results.get("tests", [])
              if float(t.get("score") or 0.0) < float(t.get("max_score") or 0.0) - EPS]
    return EntryResult(entry, points_lost(results, questions), failed, own=own)


def run_audit(hw: str, *, jobs: int | None = None, timeout: float = SUBMISSION_TIMEOUT, grader: str = DEFAULT_GRADER,
              dirs: tuple[Path, Path] | None = None, pythonpath: tuple[Path, ...] = (),
              progress: bool = True, root: Path = ROOT, names: tuple[str, ...] | None = None,
              pending: bool = False) -> AuditReport:
    """Grade every bank entry of ``hw`` (in parallel, like a regrade) and judge each one.

    ``names`` (entry file stems) restricts the audit to those entries; a name the bank
    does not have is a ValueError listing the valid ones. ``pending`` adds the mutants of
    ``bank/pending/`` (not caught yet), judged like buggy ones.
    """
    start = time.monotonic()
    questions = read_manifest(root, hw).questions
    entries = load_bank(hw, root=root) + (load_bank(hw, "pending", root=root) if pending else [])
    if names is not None:
        unknown = sorted(set(names) - {e.name for e in entries})
        if unknown:
            raise ValueError(f"{hw} has no bank entries {unknown}; it has {sorted(e.name for e in entries)}")
        entries = [e for e in entries if e.name in names]
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


def _own_text(r: EntryResult) -> str:
    """'2.5 rmsprop_step −0.5 of 3' per replaced function: points lost in its own question, of its part."""
    def one(p: OwnPart) -> str:
        per = f" (≥ {p.threshold:.3g}: one of {p.outputs} gradients)" if p.outputs > 1 else ""
        return f"{p.question} {p.function.split('.')[1]} −{r.lost_points.get(p.question, 0.0):.3g} of {p.part:.3g}{per}"

    return ", ".join(one(p) for p in r.own) or "no own question"


def format_audit(report: AuditReport) -> str:
    """The audit as text: per question the mutants killed and the survivors, the points every mutant
    lost in its own question, then alternatives and errors."""
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
    lines.append("points lost in the own question (of the function's part):")
    for r in report.mutants():
        if r.verdict != "error":
            lines.append(f"  {r.verdict.upper() if r.verdict != 'killed' else 'killed':<8} {r.entry.name:<40} {_own_text(r)}")
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
        elif r.verdict == "weak":
            lines.append(f"  WEAK {r.entry.name}: {r.entry.doc} (loses less than its part: {_own_text(r)})")
    for r in report.results:
        if r.verdict == "error":
            lines.append(f"  ERROR {r.entry.key}: {r.error}")
    slowest = sorted(report.results, key=lambda r: -r.seconds)[:3]
    lines.append("slowest to grade: " + ", ".join(f"{r.entry.name} {r.seconds:.1f} s" for r in slowest))
    killed = sum(r.verdict == "killed" for r in report.mutants())
    lines.append(f"mutants killed {killed}/{len(report.mutants())}; "
                 f"{'PASS' if report.passed else 'FAIL'}")
    return "\n".join(lines)
