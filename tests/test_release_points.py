"""The release checks that each question's hidden tests add up to the manifest's points."""

import pytest

from autograder.release.build import plan_release
from autograder.release.errors import ReleaseError
from test_release_common import make_repo

HW = "hw1_backprop"


def _problems(repo):
    with pytest.raises(ReleaseError) as exc_info:
        plan_release(repo, [HW], with_template=False)
    return [str(p) for p in exc_info.value.problems]


def test_a_question_whose_tests_do_not_add_up_fails_the_release_at_the_manifest_line(tmp_path):
    repo = make_repo(tmp_path / "repo", homeworks=(HW,))
    manifest = repo / "assignments" / HW / "manifest.toml"
    text = manifest.read_text()
    assert 'number = "1.5"\nname = "Gradients of ||Wx||²"\npoints = 15' in text
    manifest.write_text(text.replace('number = "1.5"\nname = "Gradients of ||Wx||²"\npoints = 15',
                                     'number = "1.5"\nname = "Gradients of ||Wx||²"\npoints = 16'))
    line = manifest.read_text().splitlines().index('number = "1.5"') + 1
    (problem,) = [p for p in _problems(repo) if "1.5" in p]
    assert problem.startswith(f"assignments/{HW}/manifest.toml:{line}: question 1.5 is worth 16 points")
    assert "add up to 15" in problem and "test_q1_5_linear_l2.py:" in problem


def test_a_test_of_an_unknown_question_or_a_number_used_twice_is_named_with_its_file(tmp_path):
    repo = make_repo(tmp_path / "repo", homeworks=(HW,))
    extra = repo / "assignments" / HW / "hidden_tests" / "test_q9_extra.py"
    extra.write_text(
        "from autograder.authoring import question\n\n\n"
        '@question("1.9.1", points=1)\n'
        "def test_unknown(q):\n"
        '    """a question the manifest lacks"""\n'
        '    q.compare(1, "gates.add_forward", 1.0, 2.0)\n\n\n'
        '@question("1.1.1", points=1)\n'
        "def test_twice(q):\n"
        '    """a number that 1.1 already uses"""\n'
        '    q.compare(1, "gates.add_forward", 1.0, 2.0)\n')
    problems = _problems(repo)
    assert any("test_q9_extra.py:4" in p and "question 1.9, which" in p for p in problems), problems
    assert any("test_q9_extra.py:10" in p and "1.1.1 is used twice" in p for p in problems), problems


def test_the_real_homeworks_add_up(tmp_path):
    repo = make_repo(tmp_path / "repo")
    plan_release(repo, with_template=False)  # raises on any mismatch
