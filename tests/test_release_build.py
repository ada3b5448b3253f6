"""The whole release: layouts, bad input leaves dist/ untouched, reproducibility, leaks, the CLI."""

import ast
import os
import shutil
import time
import zipfile

import pytest
from click.testing import CliRunner

from autograder.release.build import build_release
from autograder.release.cli import release as release_command
from autograder.release.errors import ReleaseError
from autograder.release.manifest import read_manifest
from test_release_common import HOMEWORKS, make_repo, read_zip

HW = "hw1_backprop"


def snapshot(folder):
    """relative path -> bytes of every file under folder (and the folder names themselves)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "repo", homeworks=(HW,))


@pytest.fixture
def old_dist(tmp_path):
    """A dist/ from an earlier release: must survive a failed build byte for byte."""
    dist = tmp_path / "dist"
    (dist / HW).mkdir(parents=True)
    (dist / HW / "student.zip").write_bytes(b"the previous release")
    (dist / HW / "notes.txt").write_text("kept")
    return dist


def test_layout_of_both_zips(tmp_path):
    repo = make_repo(tmp_path / "repo")
    build_release(repo, tmp_path / "dist", with_template=False)
    for hw in HOMEWORKS:
        student = read_zip(tmp_path / "dist" / hw / "student.zip")
        assert {name.split("/")[0] for name in student} == {hw}, "one top folder <hw>/"
        for name in ("README.md", read_manifest(repo, hw).notebook, "nnkit/__init__.py", "tests/conftest.py",
                     "nnkit_check/gradcheck.py", "pytest.ini"):
            assert f"{hw}/{name}" in student, f"{hw}/{name} missing from student.zip"
        readme = student[f"{hw}/README.md"].decode()
        assert "pip install numpy pytest hypothesis" in readme and "submit" in readme.lower()
        grader_path = tmp_path / "dist" / hw / "autograder.zip"
        grader = read_zip(grader_path)
        for name in ("setup.sh", "run_autograder", "runtime-requirements.txt", "homework/manifest.json",
                     "autograder/gradcheck.py", "reference/nnkit/layers.py", "autograder/worker/worker.py",
                     "autograder/worker/protocol.py", "autograder/worker/callables.py"):
            assert name in grader, f"{name} missing from autograder.zip"
        assert not any(n.startswith(("autograder/release/", "autograder/instructor/", "autograder/student/"))
                       for n in grader), "the repository side and the student tool stay out of autograder.zip"
        assert any(n.startswith("homework/hidden_tests/") for n in grader)
        assert any(n.startswith("homework/public_tests/test_") for n in grader)
        with zipfile.ZipFile(grader_path) as archive:
            modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
        assert modes["setup.sh"] == modes["run_autograder"] == 0o755
        assert modes["homework/manifest.json"] == 0o644
        # nothing of the grader's side in the student release
        assert not any("hidden_tests" in n or "/reference/" in n for n in student)


def test_student_zip_has_graded_and_carried_stubs(tmp_path):
    repo = make_repo(tmp_path / "repo", homeworks=("hw2_training", "hw3_cnn"))
    build_release(repo, tmp_path / "dist", with_template=False)
    hw2 = read_zip(tmp_path / "dist" / "hw2_training" / "student.zip")
    assert sorted(n.split("/")[-1] for n in hw2 if n.startswith("hw2_training/nnkit/")) == [
        "__init__.py", "activations.py", "layers.py", "losses.py", "network.py", "optim.py", "preprocess.py"]
    hw3 = read_zip(tmp_path / "dist" / "hw3_cnn" / "student.zip")
    assert "hw3_cnn/nnkit/losses.py" in hw3 and "hw3_cnn/nnkit/gates.py" not in hw3
    assert b"raise NotImplementedError" in hw3["hw3_cnn/nnkit/losses.py"]


def break_reference_begin_without_end(repo):
    path = repo / "solutions" / "nnkit" / "layers.py"
    lines = path.read_text().split("\n")
    last_end = max(i for i, ln in enumerate(lines) if "### END SOLUTION" in ln)
    del lines[last_end]
    path.write_text("\n".join(lines))
    begin = max(i for i, ln in enumerate(lines) if "### BEGIN SOLUTION" in ln) + 1
    return "solutions/nnkit/layers.py", begin, "without an END"


def break_reference_nested(repo):
    path = repo / "solutions" / "nnkit" / "gates.py"
    lines = path.read_text().split("\n")
    begin = next(i for i, ln in enumerate(lines) if "### BEGIN SOLUTION" in ln)
    lines.insert(begin + 1, lines[begin])
    path.write_text("\n".join(lines))
    return "solutions/nnkit/gates.py", begin + 2, "nested"


def break_reference_outside_function(repo):
    path = repo / "solutions" / "nnkit" / "activations.py"
    text = path.read_text()
    path.write_text(text + "\n### BEGIN SOLUTION\nLOOKUP = {}\n### END SOLUTION\n")
    return "solutions/nnkit/activations.py", text.count("\n") + 2, "outside a function body"


def break_manifest_function(repo):
    path = repo / "assignments" / HW / "manifest.toml"
    text = path.read_text()
    path.write_text(text.replace('"gates.max_backward"', '"gates.min_backward"'))
    return f"assignments/{HW}/manifest.toml", text[: text.index("gates.max_backward")].count("\n") + 1, "min_backward"


def break_missing_notebook(repo):
    (repo / "assignments" / HW / f"{HW}.ipynb").unlink()
    return f"assignments/{HW}/{HW}.ipynb", 0, "missing"


def break_missing_public_tests(repo):
    for path in (repo / "assignments" / HW / "public_tests").glob("test_*.py"):
        path.unlink()
    return f"assignments/{HW}/public_tests", 0, "missing"


def break_missing_gradescope_script(repo):
    (repo / "autograder" / "grading" / "gradescope" / "run_autograder").unlink()
    return "autograder/grading/gradescope/run_autograder", 0, "missing"


def break_missing_check_tool(repo):
    (repo / "autograder" / "student" / "check.py").unlink()
    return "autograder/student/check.py", 0, "missing"


def break_leak_in_public_test(repo):
    layers = (repo / "solutions" / "nnkit" / "layers.py").read_text().split("\n")
    begin = next(i for i, ln in enumerate(layers) if "### BEGIN SOLUTION" in ln)
    secret = next(ln for ln in layers[begin + 1:] if "=" in ln or "(" in ln).strip()
    path = repo / "assignments" / HW / "public_tests" / "test_layers.py"
    text = path.read_text()
    path.write_text(text + f"\n\ndef test_planted():\n    {secret}\n")
    return f"dist/{HW}/student.zip:{HW}/tests/test_layers.py", text.count("\n") + 4, "LEAK"


def break_leak_in_notebook(repo):
    import nbformat
    path = repo / "assignments" / HW / f"{HW}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("y = 1\nsecret_result_of_the_exercise = 2 * x"))
    nbformat.write(nb, path)
    # cells are numbered as in the student notebook, where the stand-in's hidden-test cell is gone
    return f"dist/{HW}/student.zip:{HW}/{HW}.ipynb[cell {len(nb.cells) - 2}]", 2, "LEAK"


def break_python_311_syntax(repo):
    path = repo / "solutions" / "nnkit" / "gates.py"
    text = path.read_text()
    planted = "try:\n    pass\nexcept* ValueError:\n    pass\n" + text  # above the markers: same line in the stub
    path.write_text(planted)
    with pytest.raises(SyntaxError) as exc_info:  # where Python 3.10's grammar reports it
        ast.parse(planted, feature_version=(3, 10))
    return f"dist/{HW}/student.zip:{HW}/nnkit/gates.py", exc_info.value.lineno, "not Python 3.10 syntax"


BREAKAGES = [break_reference_begin_without_end, break_reference_nested, break_reference_outside_function,
             break_manifest_function, break_missing_notebook, break_missing_public_tests,
             break_missing_gradescope_script, break_missing_check_tool, break_leak_in_public_test, break_leak_in_notebook,
             break_python_311_syntax]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.__name__[6:] for b in BREAKAGES])
def test_bad_input_fails_with_file_line_and_leaves_dist_alone(repo, old_dist, tmp_path, breakage):
    path, line, words = breakage(repo)
    before = snapshot(old_dist)
    with pytest.raises(ReleaseError) as exc_info:
        build_release(repo, old_dist, [HW], with_template=False)
    assert (path, line) in [(p.path, p.line) for p in exc_info.value.problems], str(exc_info.value)
    assert words in str(exc_info.value)
    assert snapshot(old_dist) == before, "a failed release must leave dist/ exactly as it was"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "repo"], "no temp folder left behind"


def test_cli_fails_with_exit_code_and_file_line(repo, old_dist):
    break_reference_nested(repo)
    before = snapshot(old_dist)
    result = CliRunner().invoke(release_command, ["--root", str(repo), "--out", str(old_dist)])
    assert result.exit_code == 1
    assert "solutions/nnkit/gates.py:" in result.output and "nested" in result.output
    assert snapshot(old_dist) == before


def test_cli_builds_and_replaces_an_old_release(repo, old_dist):
    result = CliRunner().invoke(release_command, ["--root", str(repo), "--out", str(old_dist), "--hw", HW])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (old_dist / HW).iterdir()) == ["autograder.zip", "student.zip"]
    assert zipfile.is_zipfile(old_dist / HW / "student.zip")
    assert (repo / "student_template" / "nnkit" / "layers.py").is_file()
    result = CliRunner().invoke(release_command, ["--root", str(repo), "--hw", "hw9_nothing"])
    assert result.exit_code == 1 and "unknown homework hw9_nothing" in result.output


def test_two_builds_in_different_folders_at_different_times_are_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = make_repo(tmp_path / "a" / "repo")
    build_release(first, tmp_path / "a" / "dist", with_template=False)
    time.sleep(1.1)  # zip timestamps have a 2 s resolution: a clock leak would need more, see mtimes below
    second = tmp_path / "elsewhere" / "b" / "repo"  # the same source, copied (not the live tree)
    shutil.copytree(first, second)
    for path in second.rglob("*"):  # different mtimes in the second checkout
        os.utime(path, (1_000_000_000, 1_000_000_000))
    build_release(second, tmp_path / "elsewhere" / "b" / "out", with_template=False)
    for hw in HOMEWORKS:
        for name in ("student.zip", "autograder.zip"):
            a = (tmp_path / "a" / "dist" / hw / name).read_bytes()
            b = (tmp_path / "elsewhere" / "b" / "out" / hw / name).read_bytes()
            assert a == b, f"{hw}/{name} differs between two builds of the same source"
            assert str(tmp_path).encode() not in a, f"{hw}/{name} contains an absolute path"


def test_autograder_zip_package_imports_without_release_and_instructor(tmp_path):
    """Gradescope unzips autograder.zip into /autograder/source and runs from there: the
    shipped package must import on its own (no autograder.release / .instructor inside)."""
    import subprocess
    import sys

    repo = make_repo(tmp_path / "repo", homeworks=(HW,))
    build_release(repo, tmp_path / "dist", [HW], with_template=False)
    source = tmp_path / "source"
    with zipfile.ZipFile(tmp_path / "dist" / HW / "autograder.zip") as archive:
        archive.extractall(source)
    probe = ("import autograder, autograder.grading, autograder.gradcheck, autograder.sandbox; "
             "print(autograder.__file__)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=source, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(source)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().startswith(str(source)), "imported the repository's package, not the zip's"
    assert not (source / "autograder" / "release").exists()


def test_the_repository_itself_releases(repo_root):
    """What `make release` does on this checkout, in memory (nothing is written): every
    manifest, marker, notebook and public test is valid and no student artifact leaks."""
    from autograder.release.build import plan_release

    release = plan_release(repo_root, with_template=True)
    assert sorted(release.zips) == list(HOMEWORKS)
    for hw, zips in release.zips.items():
        assert sorted(zips) == ["autograder.zip", "student.zip"]
        assert all(data[:2] == b"PK" for data in zips.values()), f"{hw}: not zip files"
