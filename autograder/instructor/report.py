"""``report.html``: where the class struggles, with matplotlib plots saved as PNG next to it.

Three plots: the histogram of total scores, the mean score and the pass rate
(full marks) per question, and the most frequent kinds of diagnosed mistakes
per question. Diagnoses are grouped by kind (factor, sign, transposed, batch
size, kink, not implemented, crash, ..., see ``diagnose.kind_of``), not by
their text, so "×-4.346" and "×0.36" count as one kind, "factor"; each kind
is shown with example diagnoses and the submissions that made it, linked to
their ``results/<id>/results.json``. A table per submission lists its kinds
of mistakes per question. The page references the PNGs and results by
relative path, so the output folder can be moved or zipped as a whole.
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from autograder.grading.diagnose import kind_of  # noqa: E402
from autograder.instructor.gradebook import EPS, Row  # noqa: E402

TOP_MISTAKES = 3  # per question
EXAMPLES = 3      # example diagnoses shown per kind


def question_stats(rows: list[Row], questions: list[dict]) -> list[dict]:
    """Per question: number, name, points, mean score, mean fraction, pass rate (full marks), graded count."""
    graded = [r for r in rows if not r.error]
    stats = []
    for q in questions:
        points = float(q["points"])
        scores = [r.scores.get(q["number"], 0.0) for r in graded]
        n = len(scores)
        mean = sum(scores) / n if n else 0.0
        stats.append({"number": q["number"], "name": q["name"], "points": points, "mean": mean,
                      "fraction": mean / points if points else 0.0,
                      "pass_rate": sum(s >= points - EPS for s in scores) / n if n else 0.0, "n": n})
    return stats


def row_kinds(row: Row) -> dict[str, list[str]]:
    """question -> the distinct kinds of mistake diagnosed in it for one submission (first-seen order)."""
    return {q: list(dict.fromkeys(kind_of(text) for text in texts)) for q, texts in row.diagnoses.items() if texts}


def frequent_mistakes(rows: list[Row], questions: list[dict], top: int = TOP_MISTAKES) -> dict[str, list[tuple[str, int]]]:
    """question -> its ``top`` most frequent kinds of diagnosed mistake with the number of submissions showing each."""
    out = {}
    for q in questions:
        counts = Counter()
        for row in rows:
            counts.update(row_kinds(row).get(q["number"], []))  # a submission counts once per kind
        if counts:
            out[q["number"]] = counts.most_common(top)
    return out


def mistakes_by_kind(rows: list[Row]) -> dict[str, dict]:
    """kind -> {"examples": up to ``EXAMPLES`` distinct "question: diagnosis" texts,
    "who": [(row, [questions])] the submissions that made it}; most frequent kind first."""
    found: dict[str, dict] = {}
    for row in rows:
        for question, texts in row.diagnoses.items():
            for text in texts:
                kind = found.setdefault(kind_of(text), {"examples": [], "who": {}})
                example = f"{question}: {text}"
                if example not in kind["examples"] and len(kind["examples"]) < EXAMPLES:
                    kind["examples"].append(example)
                questions_of_row = kind["who"].setdefault(row.id, (row, []))[1]
                if question not in questions_of_row:
                    questions_of_row.append(question)
    ordered = sorted(found.items(), key=lambda item: (-len(item[1]["who"]), item[0]))
    return {kind: {"examples": data["examples"], "who": list(data["who"].values())} for kind, data in ordered}


def results_href(row: Row) -> str:
    """Where ``nnkit regrade`` wrote the submission's results.json, relative to report.html."""
    from autograder.instructor.regrade import safe_name  # regrade imports this module lazily: no cycle

    return f"results/{safe_name(row.id)}/results.json"


def _histogram(path: Path, totals: list[float], max_total: float) -> None:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(totals, bins=20, range=(0, max_total or 1), color="#4878a8", edgecolor="white")  # 5 % wide bins
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"total score (out of {max_total:g})")
    ax.set_ylabel("submissions")
    ax.set_title(f"Score distribution ({len(totals)} graded)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _per_question(path: Path, stats: list[dict]) -> None:
    labels = [s["number"] for s in stats]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.bar(labels, [100 * s["fraction"] for s in stats], color="#4878a8")
    left.set_ylim(0, 100)
    left.set_ylabel("mean score (% of points)")
    left.set_title("Mean score per question")
    right.bar(labels, [100 * s["pass_rate"] for s in stats], color="#6aa56a")
    right.set_ylim(0, 100)
    right.set_ylabel("full marks (% of submissions)")
    right.set_title("Pass rate per question")
    for ax in (left, right):
        ax.set_xlabel("question")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _mistakes(path: Path, mistakes: dict[str, list[tuple[str, int]]]) -> None:
    items = [(f"{q}: {text}", count) for q, pairs in mistakes.items() for text, count in pairs]
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.35 * max(1, len(items))))
    if items:
        items = items[::-1]  # matplotlib draws the first bar at the bottom
        ax.barh([label[:70] for label, _ in items], [count for _, count in items], color="#c8704f")
        ax.set_xlabel("submissions")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title("Most frequent kinds of diagnosed mistake per question")
    else:
        ax.axis("off")
        ax.text(0.5, 0.5, "no diagnosed mistakes", ha="center", va="center")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _submission_link(row: Row) -> str:
    e = html.escape
    label = e(row.id) + (f" ({e(row.name)})" if row.name else "")
    return f'<a href="{e(results_href(row))}">{label}</a>'


def _kind_rows(kinds: dict[str, dict]) -> str:
    e = html.escape
    return "".join(
        f"<tr><td>{e(kind)}</td><td>{len(data['who'])}</td>"
        f"<td>{'<br>'.join(e(x) for x in data['examples'])}</td>"
        f"<td>{', '.join(_submission_link(row) + ' on ' + e(', '.join(qs)) for row, qs in data['who'])}</td></tr>"
        for kind, data in kinds.items())


def _submission_rows(rows: list[Row]) -> str:
    e = html.escape
    out = []
    for row in rows:
        if row.error:
            mistakes = f"error: {e(row.error)}"
        else:
            mistakes = "; ".join(f"{e(q)}: {e(', '.join(k))}" for q, k in row_kinds(row).items()) or "&ndash;"
        total = "" if row.total is None else f"{row.total:g}"
        out.append(f"<tr><td>{_submission_link(row)}</td><td>{total}</td><td>{mistakes}</td></tr>")
    return "".join(out)


def write_report(out: Path, rows: list[Row], questions: list[dict], title: str) -> Path:
    """Write ``out/report.html`` and its PNGs (``out/plots/*.png``); returns the HTML path.

    Inputs: out: the regrade's output folder (per-submission results in ``out/results/<id>/``);
    rows: the gradebook rows; questions: the manifest's questions; title: the page title.
    """
    out = Path(out)
    plots = out / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    max_total = sum(float(q["points"]) for q in questions)
    graded = [r for r in rows if not r.error]
    totals = [r.total or 0.0 for r in graded]
    stats = question_stats(rows, questions)
    mistakes = frequent_mistakes(rows, questions)
    kinds = mistakes_by_kind(rows)
    _histogram(plots / "score_histogram.png", totals, max_total)
    _per_question(plots / "questions.png", stats)
    _mistakes(plots / "mistakes.png", mistakes)

    e = html.escape
    mean = sum(totals) / len(totals) if totals else 0.0
    median = sorted(totals)[len(totals) // 2] if totals else 0.0
    question_rows = "".join(
        f"<tr><td>{e(s['number'])}</td><td>{e(s['name'])}</td><td>{s['points']:g}</td>"
        f"<td>{s['mean']:.2f}</td><td>{100 * s['pass_rate']:.0f}%</td>"
        f"<td>{'<br>'.join(f'{e(t)} ({c})' for t, c in mistakes.get(s['number'], [])) or '&ndash;'}</td></tr>"
        for s in stats)
    errors = [r for r in rows if r.error]
    error_rows = "".join(f"<tr><td>{e(r.id)}</td><td>{e(r.name)}</td><td>{e(r.error)}</td></tr>" for r in errors)
    kind_table = (f"<table><tr><th>kind</th><th>submissions</th><th>examples</th><th>who (on which questions)</th></tr>"
                  f"{_kind_rows(kinds)}</table>" if kinds else "<p>none</p>")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}img{{max-width:100%}}</style>
</head><body>
<h1>{e(title)}</h1>
<p>{len(rows)} submissions: {len(graded)} graded, {len(errors)} errors.
Mean {mean:.2f}, median {median:.2f} out of {max_total:g}.</p>
<h2>Scores</h2><img src="plots/score_histogram.png" alt="histogram of total scores">
<h2>Per question</h2><img src="plots/questions.png" alt="mean score and pass rate per question">
<table><tr><th>question</th><th>name</th><th>points</th><th>mean</th><th>full marks</th>
<th>most frequent kinds of diagnosed mistake (submissions)</th></tr>{question_rows}</table>
<h2>Diagnosed mistakes by kind</h2><img src="plots/mistakes.png" alt="most frequent kinds of diagnosed mistake">
{kind_table}
<h2>Per submission</h2>
<table><tr><th>submission (results.json)</th><th>total</th><th>kinds of mistake per question</th></tr>
{_submission_rows(rows)}</table>
<h2>Errors</h2>{f'<table><tr><th>submission</th><th>name</th><th>reason</th></tr>{error_rows}</table>' if errors else '<p>none</p>'}
</body></html>
"""
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
