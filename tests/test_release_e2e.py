"""End to end, as a student would: unzip student.zip, run pytest on the stubs (fails),
drop in a correct solution (the reference modules), run pytest again (passes)."""

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
