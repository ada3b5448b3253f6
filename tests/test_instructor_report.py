"""report.html groups diagnosed mistakes by kind, with examples, and says who made which."""

import pytest

from autograder.instructor.gradebook import make_row
from autograder.instructor.report import frequent_mistakes, mistakes_by_kind, row_kinds, write_report
from autograder.release.manifest import read_manifest


@pytest.fixture
def questions(repo_root):
    return read_manifest(repo_root, "hw1_backprop").questions


def _failed(number, *lines):
    return {"number": number, "score": 0, "max_score": 5, "output": "\n".join(lines)}


@pytest.fixture
def rows(questions):
    a = {"score": 0, "tests": [_failed("1.1.1", "✗ mul_backward (−1): dx: 6 of 6 entries wrong (relative error 0.6); "
                                               "largest error 2 at index (1, 0) — likely off by a constant factor ×-4.346"),
                               _failed("1.6.2", "✗ linear_backward (−2): db: 3 of 3 entries wrong (relative error 0.33); "
                                               "largest error 1 at index (0,) — likely ×1/4: N = 4 times too small: "
                                               "divided by the batch size once too often")]}
    b = {"score": 0, "tests": [_failed("1.1.1", "✗ mul_backward (−1): dx: 6 of 6 entries wrong — likely off by a "
                                               "constant factor ×0.36"),
                               _failed("1.3.1", "✗ sigmoid (−1): activations.sigmoid_forward raised: "
                                               "NotImplementedError: write me")]}
    return [make_row("s<1>", a, None, questions, "Ann"), make_row("s2", b, None, questions, "Bob"),
            make_row("s3", None, "grading took longer than 600 s", questions)]


def test_mistakes_are_grouped_by_kind_not_by_their_number(rows, questions):
    assert row_kinds(rows[0]) == {"1.1": ["factor"], "1.6": ["batch size"]}
    assert frequent_mistakes(rows, questions)["1.1"] == [("factor", 2)]  # ×-4.346 and ×0.36: one kind
    kinds = mistakes_by_kind(rows)
    assert list(kinds)[0] == "factor" and [r.id for r, _ in kinds["factor"]["who"]] == ["s<1>", "s2"]
    assert kinds["factor"]["examples"] == ["1.1: off by a constant factor ×-4.346", "1.1: off by a constant factor ×0.36"]
    assert [(r.id, qs) for r, qs in kinds["batch size"]["who"]] == [("s<1>", ["1.6"])]
    assert set(kinds) == {"factor", "batch size", "not implemented"}


def test_report_links_every_kind_to_the_submissions_that_made_it(tmp_path, rows, questions):
    page = write_report(tmp_path, rows, questions, "Regrade").read_text(encoding="utf-8")
    assert "<h2>Diagnosed mistakes by kind</h2>" in page
    kind_row = page[page.index("<td>factor</td>"):].split("</tr>")[0]
    assert "<td>2</td>" in kind_row and "off by a constant factor ×0.36" in kind_row
    assert '<a href="results/s_1_/results.json">s&lt;1&gt; (Ann)</a> on 1.1' in kind_row  # escaped, safe_name'd
    assert '<a href="results/s2/results.json">s2 (Bob)</a> on 1.1' in kind_row
    per_submission = page[page.index("<h2>Per submission</h2>"):]
    assert "1.1: factor; 1.6: batch size" in per_submission and "1.3: not implemented" in per_submission
    assert "error: grading took longer than 600 s" in per_submission
    assert "factor (2)" in page  # the per-question table counts kinds too
