"""End to end, as a student would: unzip student.zip, run pytest on the stubs (fails),
drop in a correct solution (the reference modules), run pytest again (passes)."""

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
@pytest.mark.parametrize("hw", HOMEWORKS)
def test_student_release_fails_on_stubs_and_passes_with_a_solution(tmp_path, hw):
    repo = make_repo(tmp_path / "repo", homeworks=(hw,))
    build_release(repo, tmp_path / "dist", [hw], with_template=False)
    folder = unzip(tmp_path / "dist" / hw / "student.zip", tmp_path / "student") / hw

    stubs = run_pytest(folder)
    assert stubs.returncode == 1, f"pytest must fail on the stubs:\n{stubs.stdout[-3000:]}"
    assert "NotImplementedError" in stubs.stdout and " passed" not in stubs.stdout.splitlines()[-1], (
        f"every public test should fail on the stubs:\n{stubs.stdout[-3000:]}")

    manifest = read_manifest(ROOT, hw)
    for module in manifest.modules + manifest.carried:
        shutil.copy(ROOT / "solutions" / "nnkit" / f"{module}.py", folder / "nnkit" / f"{module}.py")
    solved = run_pytest(folder)
    assert solved.returncode == 0, f"pytest must pass with a correct solution:\n{solved.stdout[-3000:]}"


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
def test_public_tests_accept_every_correct_alternative_of_the_bank(tmp_path, hw):
    """Fairness: the bank's correct alternatives (loops, einsum, SVD PCA, flipped PCA signs,
    another RNG...) all pass the public tests, not only the reference."""
    from autograder.instructor.bank import build_submission, load_bank

    entries = load_bank(hw, "correct")
    assert entries, f"{hw} has no correct alternatives in its bank"
    repo = make_repo(tmp_path / "repo", homeworks=(hw,))
    build_release(repo, tmp_path / "dist", [hw], with_template=False)
    release = unzip(tmp_path / "dist" / hw / "student.zip", tmp_path / "student") / hw
    submissions = {e.name: str(build_submission(e, tmp_path / "subs" / e.name) and tmp_path / "subs" / e.name)
                   for e in entries}
    result = subprocess.run([sys.executable, "-c", FAIRNESS_DRIVER, str(release), json.dumps(submissions)],
                            capture_output=True, text=True, timeout=240)
    codes = json.loads(result.stdout.rsplit("CODES=", 1)[-1]) if "CODES=" in result.stdout else None
    assert codes is not None, result.stdout[-3000:] + result.stderr[-2000:]
    rejected = sorted(name for name, code in codes.items() if code != 0)
    assert not rejected, f"public tests of {hw} reject correct alternatives {rejected}:\n{result.stdout[-3000:]}"
