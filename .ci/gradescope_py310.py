"""CI: every homework's autograder.zip, graded as Gradescope grades it, with Python 3.10 (issue 13, item 5).

Run as root by ``.ci/run`` (with the repository's ``.venv`` python)::

    .venv/bin/python .ci/gradescope_py310.py [--hw HW ...]

1. Puts a Python 3.10 where the sandbox user can execute it: a copy of the
   pyenv build (``$NNKIT_PY310_SOURCE``, default /root/.pyenv/versions/3.10.13,
   under root's private home) at ``/opt/nnkit-py310``, its libpython made
   findable system-wide (ld.so.conf.d; the pyenv build's RUNPATH points into
   /root). Idempotent: an existing copy that the sandbox user can run is kept.
2. Builds the release (``nnkit release``) into a temp dir.
3. Per homework: a fake ``/autograder`` (``AUTOGRADER_ROOT``) with the zip
   unpacked in ``source/``; ``setup.sh`` with that 3.10 as the system
   ``python3`` (first on PATH), as root: it builds the runtime venv from it
   (shared between homeworks, ``/opt/nnkit-ci-venv-py310``) and checks it as
   the sandbox user; then ``run_autograder`` for the reference handed in as
   a student does (student.zip unpacked, its nnkit/ filled in with the
   reference, ``python -m nnkit_check submit`` as its README says, with the
   3.10 runtime; submission.zip unpacked into ``submission/`` as Gradescope
   does): full marks; the stubs of student.zip (0) and one bank mutant
   (below full marks).
   No results.json may show a traceback.

Exit status 0 when every check holds; each failure is printed with its homework.
Another Python: ``NNKIT_CI_PYTHON=3.13 NNKIT_PY310_SOURCE=/root/.pyenv/versions/3.13.0
NNKIT_PY310=/opt/nnkit-py313 NNKIT_CI_VENV=/opt/nnkit-ci-venv-py313``.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.instructor.bank import build_submission, load_bank  # noqa: E402
from autograder.repo import list_homeworks  # noqa: E402

VERSION = os.environ.get("NNKIT_CI_PYTHON", "3.10")   # Gradescope's; 3.13 works the same way (docs/RELIABILITY.md)
PY310_SOURCE = Path(os.environ.get("NNKIT_PY310_SOURCE", "/root/.pyenv/versions/3.10.13"))
PY310 = Path(os.environ.get("NNKIT_PY310", "/opt/nnkit-py310"))
VENV = Path(os.environ.get("NNKIT_CI_VENV", "/opt/nnkit-ci-venv-py310"))
SANDBOX_USER = "nnkit-sb0"


def runs_as_sandbox_user(python: Path) -> bool:
    """Can the sandbox user start ``python`` (with an empty environment, from /)?"""
    try:
        pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", SANDBOX_USER], check=True)
    done = subprocess.run(["runuser", "-u", SANDBOX_USER, "--", "env", "-i", str(python), "-I", "-c",
                           f"import sys; assert '%d.%d' % sys.version_info[:2] == {VERSION!r}"],
                          cwd="/", capture_output=True, text=True)
    return done.returncode == 0


def ensure_python310() -> Path:
    """``/opt/nnkit-py310/bin`` holding a Python ``VERSION`` the sandbox user can run (copied once)."""
    python = PY310 / "bin" / f"python{VERSION}"
    if python.exists() and runs_as_sandbox_user(python):
        return PY310 / "bin"
    if not (PY310_SOURCE / "bin" / f"python{VERSION}").exists():
        raise SystemExit(f"no Python {VERSION} at {PY310_SOURCE} to copy (set NNKIT_PY310_SOURCE)")
    tmp = PY310.with_name(PY310.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(PY310_SOURCE, tmp, symlinks=True)
    subprocess.run(["chmod", "-R", "a+rX", str(tmp)], check=True)
    shutil.rmtree(PY310, ignore_errors=True)
    tmp.rename(PY310)
    # The pyenv build's RUNPATH names its lib/ under /root (0700): let the loader find the copy's.
    Path(f"/etc/ld.so.conf.d/{PY310.name}.conf").write_text(f"{PY310 / 'lib'}\n")
    subprocess.run(["ldconfig"], check=True)
    if not runs_as_sandbox_user(python):
        raise SystemExit(f"{python} was copied but the sandbox user still cannot run it")
    return PY310 / "bin"


def fake_root(base: Path, hw: str, dist: Path) -> Path:
    """``base/<hw>`` laid out like Gradescope's /autograder, world-traversable as there."""
    root = base / hw
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(dist / hw / "autograder.zip") as zf:
        zf.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        os.chmod(root / "source" / script, 0o755)
    return root


def env_for(root: Path, bin_dir: Path) -> dict:
    """Gradescope's environment: root, Python 3.10 as the system python3, our fake /autograder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NNKIT_", "VIRTUAL_ENV", "PYTHON"))}
    env.update({"AUTOGRADER_ROOT": str(root), "NNKIT_VENV": str(VENV),
                "PATH": f"{bin_dir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"})
    return env


def grade(root: Path, submission: Path, env: dict) -> tuple[dict, str]:
    """Run ``run_autograder`` on ``submission`` (a folder holding nnkit/); (results.json, its stdout)."""
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    shutil.copytree(submission, root / "submission")
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=1800)
    results = json.loads((root / "results" / "results.json").read_text())
    return results, done.stdout + done.stderr


def handin_reference(student_hw: Path, dest: Path) -> None:
    """What a student who filled in every stub with the reference uploads: ``python -m nnkit_check
    submit`` in a copy of the unpacked student.zip, its submission.zip unpacked into ``dest``."""
    work = dest.parent / f"{dest.name}-student"
    shutil.copytree(student_hw, work)
    for module in (work / "nnkit").glob("*.py"):
        shutil.copy2(REPO / "solutions" / "nnkit" / module.name, module)
    done = subprocess.run([str(VENV / "bin" / "python"), "-m", "nnkit_check", "submit"], cwd=work,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not (work / "submission.zip").exists():
        raise SystemExit(f"python -m nnkit_check submit failed in {work}: {done.stdout}{done.stderr}")
    with zipfile.ZipFile(work / "submission.zip") as zf:
        zf.extractall(dest)


def check_homework(hw: str, dist: Path, base: Path, bin_dir: Path, student: Path) -> list[str]:
    """Every failed expectation for ``hw`` (empty when all hold)."""
    problems = []
    root = fake_root(base, hw, dist)
    env = env_for(root, bin_dir)
    started = time.monotonic()
    done = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=1800)
    print(f"[{hw}] setup.sh exit {done.returncode} in {time.monotonic() - started:.0f} s: "
          + done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "", flush=True)
    if done.returncode != 0:
        return [f"{hw}: setup.sh failed: {done.stdout[-2000:]}{done.stderr[-2000:]}"]
    mutant = next(e for e in load_bank(hw, "buggy") if e.killed_by)
    subs = base / f"{hw}-submissions"
    build_submission(mutant, subs / "mutant")
    handin_reference(student / hw, subs / "reference")
    (subs / "stubs").mkdir(parents=True)
    shutil.copytree(student / hw / "nnkit", subs / "stubs" / "nnkit")
    for name in ("reference", "stubs", "mutant"):
        started = time.monotonic()
        results, log = grade(root, subs / name, env)
        full = sum(t["max_score"] for t in results["tests"])
        print(f"[{hw}] {name}: {results['score']:g}/{full:g} in {time.monotonic() - started:.0f} s; "
              + next((line for line in log.splitlines() if "Python" in line or "sandbox:" in line), "")[:160], flush=True)
        if "Traceback" in json.dumps(results):
            problems.append(f"{hw}/{name}: results.json shows a traceback")
        if not results["tests"] or full == 0:
            problems.append(f"{hw}/{name}: no tests graded: {results['output'][:500]}")
        elif name == "reference" and results["score"] != full:
            problems.append(f"{hw}/reference: {results['score']}/{full}: "
                            + "; ".join(t["output"][:200] for t in results["tests"] if t["score"] < t["max_score"]))
        elif name == "stubs" and results["score"] != 0:
            problems.append(f"{hw}/stubs: {results['score']} instead of 0")
        elif name == "mutant" and not results["score"] < full:
            problems.append(f"{hw}/mutant {mutant.name}: full marks")
    if not subprocess.run([str(VENV / "bin" / "python"), "-c", "import sys; print(sys.version)"],
                          capture_output=True, text=True).stdout.startswith(VERSION + "."):
        problems.append(f"{hw}: the runtime venv {VENV} is not Python {VERSION}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hw", action="append", help="homework (repeatable; default: all)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("run as root, as Gradescope runs setup.sh and run_autograder")
    homeworks = args.hw or list_homeworks(REPO)
    bin_dir = ensure_python310()
    print(f"Python {VERSION} for the sandbox user: {bin_dir}", flush=True)
    base = Path(tempfile.mkdtemp(prefix="nnkit-ci-gradescope-"))
    os.chmod(base, 0o755)
    try:
        dist = base / "dist"
        subprocess.run([str(REPO / ".venv" / "bin" / "nnkit"), "release", "--out", str(dist),
                        *sum((["--hw", hw] for hw in homeworks), [])], check=True, cwd=REPO)
        problems = []
        for hw in homeworks:
            student = base / f"{hw}-student"
            with zipfile.ZipFile(dist / hw / "student.zip") as zf:
                zf.extractall(student)
            problems += check_homework(hw, dist, base, bin_dir, student)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    for problem in problems:
        print("FAILED:", problem)
    print(f"gradescope end to end, Python {VERSION}:", "OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
