"""End to end, as a student would: unzip student.zip, run pytest on the stubs (fails),
drop in a correct solution (the reference, or any correct alternative of the bank), run
pytest again (passes); a stub left in a carried module is named in the failure."""

import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograder.release.build import build_release
from autograder.release.manifest import read_manifest
from test_release_common import HOMEWORKS, ROOT, make_repo, unzip


def run_pytest(folder):
    """``python -m pytest`` in ``folder``, in a fresh process (numpy, pytest, hypothesis only)."""
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                          cwd=folder, capture_output=True, text=True, timeout=240)


@pytest.mark.slow
def test_carried_stub_is_named_in_the_failure(tmp_path):
    hw = "hw2_training"
    repo = make_repo(tmp_path / "repo", homeworks=("hw1_backprop", hw))  # hw1 grades layers
    build_release(repo, tmp_path / "dist", [hw], with_template=False)
    folder = unzip(tmp_path / "dist" / hw / "student.zip", tmp_path / "student") / hw
    for module in ("losses", "network", "activations"):  # layers stays a stub
        shutil.copy(ROOT / "solutions" / "nnkit" / f"{module}.py", folder / "nnkit" / f"{module}.py")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_network.py"], cwd=folder, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "needs linear_forward in nnkit/layers.py (line " in result.stdout
    assert "which still raises NotImplementedError: layers.py is carried from Homework 1" in result.stdout


# Runs pytest once per submission in one process: each run starts from a fresh copy of
# the student release and forgets the previous run's nnkit, tests and conftest modules.
FAIRNESS_DRIVER = r"""
import json, shutil, sys
from pathlib import Path
import pytest

release, submissions = Path(sys.argv[1]), json.loads(sys.argv[2])
codes = {}
for name, folder in submissions.items():
    work = release.parent / ("run-" + name)
    shutil.copytree(release, work)
    for path in Path(folder, "nnkit").glob("*.py"):
        shutil.copy(path, work / "nnkit" / path.name)
    for module in [m for m in sys.modules if m.split(".")[0] in ("nnkit", "nnkit_check", "conftest", "stubcheck")
                   or m.startswith("test_")]:
        del sys.modules[module]
    codes[name] = int(pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", str(work), str(work)]))
    sys.path[:] = [p for p in sys.path if not p.startswith(str(work))]
print("CODES=" + json.dumps(codes))
"""


@pytest.mark.slow
@pytest.mark.parametrize("hw", HOMEWORKS)
def test_student_release_fails_on_stubs_and_passes_with_any_correct_solution(tmp_path, hw):
    """As a student: unzip, ``python -m pytest`` fails on the stubs; with a correct solution
    it passes — the reference, and every correct alternative of the bank (loops, einsum, SVD
    PCA, flipped PCA signs, another RNG...), so that the public tests are fair."""
    from autograder.instructor.bank import build_submission, load_bank

    repo = make_repo(tmp_path / "repo", homeworks=(hw,))
    build_release(repo, tmp_path / "dist", [hw], with_template=False)
    release = unzip(tmp_path / "dist" / hw / "student.zip", tmp_path / "student") / hw

    stubs = run_pytest(release)
    assert stubs.returncode == 1, f"pytest must fail on the stubs:\n{stubs.stdout[-3000:]}"
    assert "NotImplementedError" in stubs.stdout and " passed" not in stubs.stdout.splitlines()[-1], (
        f"every public test should fail on the stubs:\n{stubs.stdout[-3000:]}")

    manifest = read_manifest(ROOT, hw)
    reference = tmp_path / "subs" / "reference" / "nnkit"
    reference.mkdir(parents=True)
    for module in manifest.modules + manifest.carried:
        shutil.copy(ROOT / "solutions" / "nnkit" / f"{module}.py", reference / f"{module}.py")
    submissions = {"reference": str(reference.parent)}
    for entry in load_bank(hw, "correct"):
        submissions[entry.name] = str(tmp_path / "subs" / entry.name)
        build_submission(entry, tmp_path / "subs" / entry.name)
    result = subprocess.run([sys.executable, "-c", FAIRNESS_DRIVER, str(release), json.dumps(submissions)],
                            capture_output=True, text=True, timeout=240)
    codes = json.loads(result.stdout.rsplit("CODES=", 1)[-1]) if "CODES=" in result.stdout else None
    assert codes is not None and set(codes) == set(submissions), result.stdout[-3000:] + result.stderr[-2000:]
    rejected = sorted(name for name, code in codes.items() if code != 0)
    assert not rejected, f"public tests of {hw} reject correct solutions {rejected}:\n{result.stdout[-3000:]}"

    if hw == "hw1_backprop":
        # the packaged check tool runs on its own (its imports were rewritten to nnkit_check.*)
        # and passes on the driver's copy of the release that holds the reference
        check = subprocess.run([sys.executable, "-m", "nnkit_check"], cwd=release.parent / "run-reference",
                               capture_output=True,
                               text=True, timeout=240)
        assert check.returncode == 0 and "Traceback" not in check.stdout + check.stderr, (
            check.stdout[-2000:] + check.stderr[-2000:])


# -- every documented way to hand in, through the real release and run_autograder --------

@pytest.fixture(scope="module")
def real_dist(tmp_path_factory):
    """``make release`` of this checkout (real notebooks and hidden tests), into a tmp folder."""
    out = tmp_path_factory.mktemp("dist")
    build_release(ROOT, out, with_template=False)
    return out


def student_folder(dist, hw, dest, modules=None):
    """The unzipped student release of ``hw`` with the reference's ``modules`` filled in
    (default: every module the homework ships, graded and carried)."""
    folder = unzip(dist / hw / "student.zip", dest) / hw
    manifest = read_manifest(ROOT, hw)
    for module in manifest.modules + manifest.carried if modules is None else modules:
        shutil.copy(ROOT / "solutions" / "nnkit" / f"{module}.py", folder / "nnkit" / f"{module}.py")
    return folder


def nnkit_check(folder, *args):
    """``python -m nnkit_check ARGS`` in ``folder``, as a student runs it."""
    return subprocess.run([sys.executable, "-m", "nnkit_check", *args], cwd=folder, capture_output=True,
                          text=True, timeout=240)


def gradescope(dist, hw, root, files):
    """Grade ``files`` (uploaded as they are) with ``hw``'s autograder.zip through its own
    setup.sh and run_autograder against the fake AUTOGRADER_ROOT ``root``; results.json."""
    from grading_support import run_gradescope

    unzip(dist / hw / "autograder.zip", root / "source")
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    (root / "submission").mkdir(parents=True)
    for path in files:
        shutil.copy(path, root / "submission" / path.name)
    return run_gradescope(root)


@pytest.mark.slow
@pytest.mark.parametrize("hw", HOMEWORKS)
def test_nnkit_check_submit_builds_the_zip_that_run_autograder_grades_full_marks(real_dist, tmp_path, hw):
    folder = student_folder(real_dist, hw, tmp_path / "student")
    done = nnkit_check(folder, "submit")
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = read_manifest(ROOT, hw)
    with zipfile.ZipFile(folder / "submission.zip") as zf:
        names = sorted(zf.namelist())
    assert names == sorted([f"nnkit/{m}.py" for m in manifest.modules + manifest.carried] + [manifest.notebook])
    assert "still a stub" not in done.stdout and "missing" not in done.stdout
    results = gradescope(real_dist, hw, tmp_path / "gs", [folder / "submission.zip"])
    assert results["score"] == sum(q["points"] for q in manifest.questions), results["output"]


@pytest.mark.slow
def test_graded_modules_only_upload_names_each_missing_carried_file(real_dist, tmp_path):
    hw = "hw2_training"
    folder = student_folder(real_dist, hw, tmp_path / "student", modules=["losses", "network", "optim", "preprocess"])
    (folder / "nnkit" / "layers.py").unlink()
    done = nnkit_check(folder, "submit")
    assert done.returncode == 1
    assert "missing: add nnkit/layers.py, from Homework 1: network.py imports it" in done.stdout
    assert "nnkit/activations.py (from Homework 1) is still a stub" in done.stdout

    graded = [folder / "nnkit" / f"{m}.py" for m in ("losses", "network", "optim", "preprocess")]
    results = gradescope(real_dist, hw, tmp_path / "gs", graded)
    for name in ("activations", "layers"):
        assert f"add nnkit/{name}.py, from Homework 1: network.py imports it" in results["output"]
    broken = [t for t in results["tests"] if t["score"] < t["max_score"]]
    assert broken and all("from Homework 1: network.py imports it" in t["output"] for t in broken), broken[0]
    assert "ModuleNotFoundError" not in json.dumps(results)


@pytest.mark.slow
def test_unmodified_notebook_upload_says_what_is_missing(real_dist, tmp_path):
    hw = "hw3_cnn"
    folder = student_folder(real_dist, hw, tmp_path / "student")
    results = gradescope(real_dist, hw, tmp_path / "gs", [folder / "hw3_cnn.ipynb"])
    assert results["score"] == 0
    assert "hw3_cnn.ipynb defines none of the graded functions" in results["output"]
    assert "python -m nnkit_check submit" in results["output"]
    assert "add nnkit/conv.py" in results["output"]


@pytest.mark.slow
def test_nnkit_check_gives_the_reason_and_the_diagnosis_of_a_typical_bug(real_dist, tmp_path):
    folder = student_folder(real_dist, "hw1_backprop", tmp_path / "student")
    activations = folder / "nnkit" / "activations.py"
    activations.write_text(activations.read_text().replace("np.where(x > 0, dout, 0.0)", "np.where(x >= 0, dout, 0.0)"))
    layers = folder / "nnkit" / "layers.py"  # dW transposed
    layers.write_text(layers.read_text().replace("dout.T @ x, dout.sum(axis=0)", "x.T @ dout, dout.sum(axis=0)"))
    done = nnkit_check(folder)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("start with 1.3 relu_backward: dx:") and "kinks" in lines[0]
    kink = lines.index(next(ln for ln in lines if "relu_backward" in ln and "at x = 0 exactly" in ln))
    assert lines[kink].endswith("FAIL") and "likely wrong only at kinks" in lines[kink + 1]
    row = lines.index(next(ln for ln in lines if ln.startswith("1.6") and "gradients vs numeric" in ln))
    assert lines[row].endswith("FAIL") and "dW" in lines[row + 1] and "likely transposed" in lines[row + 1]
    public = next(i for i, ln in enumerate(lines) if "test_relu_passes_gradient_only_where_positive" in ln)
    assert lines[public + 1].strip() and "Mismatched elements" in "\n".join(lines[public + 1:public + 6])
    assert "passed" not in done.stdout and "FAILED" not in done.stdout  # pytest's own report is hidden

    assert nnkit_check(folder, "--help").returncode == 0
    verbose = nnkit_check(folder, "1.5", "-v")  # -v: pytest's own report comes back, before the table
    assert "PASSED" in verbose.stdout and verbose.stdout.rstrip().endswith("the autograder runs more tests.")
    # a notebook cell's nnkit_check.check("1.6"): the same table, only question 1.6
    check = subprocess.run([sys.executable, "-c", "import nnkit_check; nnkit_check.check('1.6')"], cwd=folder,
                           capture_output=True, text=True, timeout=240)
    assert "likely transposed" in check.stdout, check.stdout + check.stderr
    assert {ln[:3] for ln in check.stdout.splitlines()[4:-2] if ln[:1].isdigit()} == {"1.6"}


@pytest.mark.slow
@pytest.mark.parametrize("route", ["py files", "zip of nnkit/"])
def test_the_readmes_other_routes_get_full_marks(real_dist, tmp_path, route):
    """"You may instead upload these .py files yourself (all of them, or a zip of the nnkit/ folder)"."""
    hw = "hw1_backprop"
    folder = student_folder(real_dist, hw, tmp_path / "student")
    readme = (folder / "README.md").read_text()
    assert "python -m nnkit_check submit" in readme and "a zip of the `nnkit/` folder" in readme
    files = sorted((folder / "nnkit").glob("[!_]*.py"))
    if route == "zip of nnkit/":
        archive = tmp_path / "mine.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for path in sorted((folder / "nnkit").glob("*.py")):
                zf.write(path, f"nnkit/{path.name}")
        files = [archive]
    results = gradescope(real_dist, hw, tmp_path / "gs", files)
    assert results["score"] == 100, results["output"]


@pytest.mark.slow
@pytest.mark.parametrize("hw, mutant, question, diagnosis", [
    ("hw2_training", "l2_loss_missing_factor_2", "2.1", "likely half the right size"),
    ("hw3_cnn", "max_pool_backward_last_max", "3.4", "likely wrong only at kinks"),
])
def test_a_bank_mistake_gets_its_diagnosis_in_nnkit_check(real_dist, tmp_path, hw, mutant, question, diagnosis):
    """A typical bug (a mutant of the bank, appended to the correct module) as a student sees it."""
    from autograder.instructor.bank import load_bank

    entry = next(e for e in load_bank(hw, "buggy") if e.name == mutant)
    folder = student_folder(real_dist, hw, tmp_path / "student")
    module = folder / "nnkit" / f"{entry.module}.py"
    module.write_text(module.read_text() + "\n\n" + entry.path.read_text())
    done = nnkit_check(folder, question)
    assert done.returncode == 1, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith(f"start with {question} ") and diagnosis in first, done.stdout
