"""End to end, as a student would: unzip student.zip, run pytest on the stubs (fails),
drop in a correct solution (the reference, or any correct alternative of the bank), run
pytest again (passes); a stub left in a carried module is named in the failure."""

import json
import shutil
import subprocess
import sys

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
    repo = make_repo(tmp_path / "repo", homeworks=(hw,))
    build_release(repo, tmp_path / "dist", [hw], with_template=False)
    folder = unzip(tmp_path / "dist" / hw / "student.zip", tmp_path / "student") / hw
    for module in ("losses", "network", "activations"):  # layers stays a stub
        shutil.copy(ROOT / "solutions" / "nnkit" / f"{module}.py", folder / "nnkit" / f"{module}.py")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_network.py"], cwd=folder, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "needs nnkit/layers.py, which still raises NotImplementedError" in result.stdout


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
