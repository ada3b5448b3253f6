"""Red team: hostile hw1 submissions graded end to end by ``grade_submission``.

Each file of ``hostile/`` is one attack (issue 5's five categories): its
definitions are appended to a copy of the reference module ``MODULE``, so
every other function is correct; ``# === FILE: <path>`` sections add files
to the submission (shadow modules, conftest.py). ``@@NAME@@`` placeholders
give the attacker the real paths (worst case: it knows the layout).

For every attack we assert: a valid results.json was written and not
overwritten afterwards; no score above the clean reference; the questions in
``LOSES`` lose points, all others keep full marks; nothing leaked (no
``LEAK-OK`` marker, no reference or hidden-test text, no grader environment
variable); no process or temp file of the attack survives; the reference and
homework folders are byte-for-byte unchanged. Beside the whole suite run a
real parallel regrade and sentinel processes (as root, as another ordinary
user, as the would-be next sandbox user ``nnkit-sb<MAX_SLOTS>``): every
sentinel must survive, so the project signals only its own processes.

Speed: the cases are graded up front in a pool of forked processes (each its
own sandbox user, so they run in parallel), with ``GradingConfig`` cutting
every test's budget to ``TIME_LIMIT`` seconds of the submission's own time
(CPU or sleeping: a loaded machine does not eat it) so that hangs cost little.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from proc_support import alive_with_comm

from autograder.sandbox.users import MAX_SLOTS

HERE = Path(__file__).resolve().parent
HOSTILE = sorted(HERE.joinpath("hostile").glob("*.py"))
HW = "hw1_backprop"
HW_MODULES = ["gates", "activations", "jacobians", "layers"]
TIME_LIMIT = 3.0   # seconds of the submission's time per hidden test (default 10): hangs are cut short
ADDRESS_SPACE = 1 << 30
WORKERS = 3
CANARY_VAR = "NNKIT_REDTEAM_CANARY"

pytestmark = [pytest.mark.slow, pytest.mark.root, pytest.mark.heavy(together=True)]   # one worker: they share `graded`


def _meta(text: str) -> dict:
    """MODULE, LOSES, CATEGORY of a hostile file, read without running it."""
    out = {}
    for key in ("MODULE", "CATEGORY"):
        out[key] = re.search(rf'^{key} = "([^"]+)"', text, re.M).group(1)
    loses = re.search(r"^LOSES = (.+?)(?:\s+#.*)?$", text, re.M).group(1)
    out["LOSES"] = "*" if loses.strip() == '"*"' else json.loads(loses)
    return out


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_submission(hostile: Path, dest: Path, reference: Path, subs: dict) -> None:
    """Reference modules + the hostile override appended to MODULE + extra files."""
    text = hostile.read_text()
    for key, value in subs.items():
        text = text.replace(f"@@{key}@@", str(value))
    parts = re.split(r"^# === FILE: (.+)$", text, flags=re.M)
    override, extras = parts[0], dict(zip(parts[1::2], parts[2::2]))
    (dest / "nnkit").mkdir(parents=True)
    for module in HW_MODULES:
        shutil.copy(reference / "nnkit" / f"{module}.py", dest / "nnkit" / f"{module}.py")
    module = _meta(text)["MODULE"]
    drop = re.search(r"^DROP = (.+)$", text, re.M)
    if drop:   # modules the submission lacks (a notebook provides them instead)
        for name in json.loads(drop.group(1)):
            (dest / "nnkit" / f"{name}.py").unlink()
    else:
        with open(dest / "nnkit" / f"{module}.py", "a") as f:
            f.write("\n\n# ---- hostile override ----\n" + override)
    for rel, body in extras.items():
        path = dest / rel.strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body.lstrip("\n"))
    if re.search(r"^ZIP = True$", text, re.M):
        _zip_tricks(dest, reference, subs)


def _zip_tricks(dest: Path, reference: Path, subs: dict) -> None:
    """Replace the folder ``dest`` by ``dest.zip`` holding it plus hostile entries."""
    import stat
    import zipfile

    archive = dest.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(dest.rglob("*.py")):
            zf.write(path, path.relative_to(dest).as_posix())
        link = zipfile.ZipInfo("nnkit/activations.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, str(reference / "nnkit" / "activations.py"))
        forged = '{"score": 1000.0, "tests": [], "output": "FORGED"}'
        zf.writestr("../../results/results.json", forged)
        zf.writestr("../" * 12 + str(subs["RESULTS"]).lstrip("/"), forged)
        zf.writestr(str(subs["RESULTS"]), forged)
        zf.writestr(f"/tmp/{subs['MARK']}-absolute", "x")
        zf.writestr("bomb/zeros.bin", b"\0" * (300 << 20))
    shutil.rmtree(dest)
    dest.mkdir()
    shutil.move(str(archive), dest / "submission.zip")


def grade_case(name: str | None) -> dict:
    """Runs in a pool process: grade one hostile submission (or the clean reference) and observe."""
    from autograder.grading import grade_submission
    from autograder.grading.config import GradingConfig
    from autograder.repo import homework_from_repo
    from autograder.sandbox import Limits

    # Budgets count the submission's own time (CPU or sleeping), so a loaded
    # machine does not eat them; cut to TIME_LIMIT so that hangs cost little.
    # 1 GiB of address space (the engine's default is 4): a memory bomb then
    # costs 1 GB of RAM, not 4, with three cases in parallel.
    config = GradingConfig(max_time_limit=TIME_LIMIT, call_timeout=TIME_LIMIT, import_timeout=TIME_LIMIT,
                           limits=Limits(cpu_seconds=600, address_space=ADDRESS_SPACE))

    work = Path(tempfile.mkdtemp(prefix="nnkit-redteam-"))
    os.chmod(work, 0o755)      # like /autograder: traversable by everyone, writable by root only
    # A fake AUTOGRADER_ROOT laid out like Gradescope's, world-readable as there:
    # only the sandbox (default secret paths: $AUTOGRADER_ROOT/source, results)
    # keeps the worker out. Private copies: others edit solutions/ meanwhile.
    os.environ["AUTOGRADER_ROOT"] = str(work)
    repo_homework, repo_reference = homework_from_repo(HW)
    homework = work / "source" / "homework"
    reference = work / "source" / "reference"
    shutil.copytree(repo_homework, homework)
    if name is not None:
        _keep_relevant_tests(homework / "hidden_tests", _meta((HERE / "hostile" / name).read_text())["LOSES"])
    shutil.copytree(repo_reference / "nnkit", reference / "nnkit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for dirpath, dirnames, filenames in os.walk(work / "source"):
        os.chmod(dirpath, 0o755)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o644)
    results_dir = work / "results"
    results_dir.mkdir(mode=0o755)
    results_path = results_dir / "results.json"
    mark = "rt" + secrets.token_hex(6)
    canary = "canary-" + secrets.token_hex(8)
    os.environ[CANARY_VAR] = canary
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.0)
    sub = work / "submission"
    if name is None:
        build_submission_clean(sub, reference)
    else:
        build_submission(HERE / "hostile" / name, sub, reference, {
            "RESULTS": results_path, "REFERENCE": reference, "HOMEWORK": homework,
            "REPO": repo_reference.parent, "PORT": listener.getsockname()[1], "MARK": mark,
        })
    before = (_tree_hash(reference), _tree_hash(homework))
    started = time.monotonic()
    try:
        results = grade_submission(sub, homework, reference, results_path, config=config)
        error = None
    except BaseException as exc:  # the engine must never raise: record it for the assertion
        results, error = None, f"{type(exc).__name__}: {exc}"
    elapsed = time.monotonic() - started
    time.sleep(0.3)           # a surviving daemon would rewrite results.json meanwhile
    try:
        written = results_path.read_text()
    except OSError as exc:
        written = f"<unreadable: {exc}>"
    try:
        listener.accept()
        connected = True
    except OSError:
        connected = False
    listener.close()
    leftovers = [str(p) for place in ("/tmp", "/var/tmp", "/dev/shm") for p in Path(place).glob(f"{mark}*")]
    leftovers += [str(p) for p in sub.parent.rglob(f"{mark}*")]
    observed = {
        "results": results, "error": error, "written": written, "elapsed": elapsed,
        "connected": connected, "stray": alive_with_comm(mark), "leftovers": leftovers,
        "hash_changed": before != (_tree_hash(reference), _tree_hash(homework)),
        "canary": canary, "case": name, "secret_lines": _secret_lines(reference, homework),
        "extra_files": sorted(str(p.relative_to(work)) for p in work.rglob("*")
                              if not str(p.relative_to(work)).startswith(("submission", "results", "source"))),
    }
    shutil.rmtree(work, ignore_errors=True)
    return observed


def _keep_relevant_tests(hidden: Path, loses) -> None:
    """Keep the sabotaged questions' hidden tests plus controls graded before and after them.

    Saves time: a sabotage can only spill over into questions graded in the
    same worker, which the controls (1.1 and 1.6, else their neighbours)
    bracket. LOSES "*" or [] keeps everything.
    """
    if loses == "*" or not loses:
        return
    controls = {"1.1" if "1.1" not in loses else "1.2", "1.6" if "1.6" not in loses else "1.5"}
    keep = set(loses) | controls
    for path in hidden.glob("test_q*.py"):
        match = re.match(r"test_q(\d+)_(\d+)_", path.name)
        if match and f"{match.group(1)}.{match.group(2)}" not in keep:
            path.unlink()


def build_submission_clean(dest: Path, reference: Path) -> None:
    (dest / "nnkit").mkdir(parents=True)
    for module in HW_MODULES:
        shutil.copy(reference / "nnkit" / f"{module}.py", dest / "nnkit" / f"{module}.py")


def _secret_lines(reference: Path, homework: Path) -> list[str]:
    """Code lines of the reference and hidden tests that must never show up in the output."""
    lines = set()
    for path in list((reference / "nnkit").glob("*.py")) + list((homework / "hidden_tests").glob("*.py")):
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) >= 25 and line.startswith(("import ", "from ", "def ", "class ", "return ", "###")):
                lines.add(line)
    return sorted(lines)


# Sentinels (issue 13, item 3): processes the project must never signal, alive
# while the whole red team and a parallel regrade run beside them.
SENTINEL_USERS = {"another ordinary user": ("nnkit-sentinel", False),
                  "a would-be next sandbox user": (f"nnkit-sb{MAX_SLOTS}", True)}   # the slot after the last


def _user(name: str, system: bool) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", *(["--system"] if system else []), "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name],
                       check=True, capture_output=True)
        return pwd.getpwnam(name)


@pytest.fixture(scope="module")
def sentinels():
    """``{who: Popen}``: sleeping processes as root (own session and ours) and as other users; killed at the end."""
    procs = {}
    try:
        procs["root, own session"] = subprocess.Popen(["sleep", "3600"], start_new_session=True)
        procs["root, the test's process group"] = subprocess.Popen(["sleep", "3600"])
        for who, (name, system) in SENTINEL_USERS.items():
            entry = _user(name, system)
            procs[who] = subprocess.Popen(["sleep", "3600"], user=entry.pw_uid, group=entry.pw_gid,
                                          extra_groups=[], cwd="/", start_new_session=True)
        yield procs
    finally:
        for proc in procs.values():
            proc.kill()
            proc.wait()


def _parallel_regrade(out: Path) -> dict:
    """A real ``regrade --jobs 2`` of the reference, the stubs and an attack; ``{id: row}`` of its gradebook."""
    from autograder.instructor.bank import write_reference
    from autograder.instructor.gradebook import read_gradebook
    from autograder.instructor.regrade import regrade
    from autograder.repo import homework_from_repo

    export = out / "export"
    write_reference(export / "reference", HW)
    _, reference = homework_from_repo(HW)
    build_submission(HERE / "hostile" / "interfere_kill_parent.py", export / "kill_parent", reference, {})
    shutil.copytree(reference.parent / "student_template" / "nnkit", export / "stubs" / "nnkit")
    regrade(export, HW, out / "graded", jobs=2, progress=False, report=False)
    return {row["submission_id"]: row for row in read_gradebook(out / "graded" / "gradebook.csv")}


@pytest.fixture(scope="module")
def graded(sentinels, tmp_path_factory):
    """Grade every case (and the clean reference) in parallel; futures by case name (and "regrade")."""
    assert os.geteuid() == 0, "the red-team suite runs as root (as CI and Gradescope do)"
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=ctx) as pool, ThreadPoolExecutor(1) as side:
        futures = {None: pool.submit(grade_case, None)}
        # Longest first (hangs and crashes at import wait for time limits), so
        # that the pool ends evenly.
        slow = ("exhaust_", "interfere_", "forge_protocol")
        for path in sorted(HOSTILE, key=lambda p: (not p.name.startswith(slow), p.name)):
            futures[path.name] = pool.submit(grade_case, path.name)
        # after the pool's forks: a regrade beside the attacks (its own grading processes and sandboxes)
        futures["regrade"] = side.submit(_parallel_regrade, tmp_path_factory.mktemp("regrade"))
        yield futures


def test_sentinels_survive_the_red_team_and_a_parallel_regrade(graded, sentinels):
    """The project signals only its own processes: nothing of root's or of other users' is touched."""
    for future in graded.values():
        future.exception()   # wait for every case and the regrade
    rows = graded["regrade"].result()
    assert rows["reference"]["status"] == "graded" and float(rows["reference"]["total"]) == 100
    assert float(rows["stubs"]["total"]) == 0
    assert 0 < float(rows["kill_parent"]["total"]) < 100
    for who, proc in sentinels.items():
        assert proc.poll() is None, f"the sentinel running as {who} was killed ({proc.returncode})"
        with open(f"/proc/{proc.pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
        assert state not in (b"T", b"t"), f"the sentinel running as {who} was stopped"


def _question_scores(results: dict, questions: list[str]) -> dict[str, tuple[float, float]]:
    scores = {q: [0.0, 0.0] for q in questions}
    for test in results["tests"]:
        for q in questions:
            if test["number"] == q or test["number"].startswith(q + "."):
                scores[q][0] += test["score"]
                scores[q][1] += test["max_score"]
    return {q: (s, m) for q, (s, m) in scores.items()}


def _check_valid(results: dict) -> None:
    for key in ("score", "execution_time", "output", "tests"):
        assert key in results, f"results.json lacks {key}"
    assert isinstance(results["score"], (int, float)) and isinstance(results["execution_time"], (int, float))
    for test in results["tests"]:
        for key in ("score", "max_score", "name", "number", "output"):
            assert key in test, f"test lacks {key}: {test}"
        assert 0 <= test["score"] <= test["max_score"]
    assert abs(results["score"] - sum(t["score"] for t in results["tests"])) < 1e-9


def test_hostile_suite_size_and_categories():
    cats = {}
    for path in HOSTILE:
        meta = _meta(path.read_text())
        cats.setdefault(meta["CATEGORY"], []).append(path.name)
        assert meta["MODULE"] in HW_MODULES, path.name
    assert len(HOSTILE) >= 30
    assert set(cats) == {"forge", "steal", "equal", "exhaust", "interfere"}, cats


def _baseline(graded) -> tuple[dict, list[str]]:
    """The clean reference's results and question numbers; fails with "BASELINE PROBLEM" if it lost points."""
    clean = graded[None].result()
    assert clean["error"] is None, f"BASELINE PROBLEM (not the attack): grading the clean reference raised {clean['error']}"
    baseline = clean["results"]
    questions = sorted({t["number"].rsplit(".", 1)[0] if t["number"].count(".") >= 2 else t["number"]
                        for t in baseline["tests"]})
    full = _question_scores(baseline, questions)
    lost = {q: sm for q, sm in full.items() if sm[0] != sm[1]}
    assert not lost, ("BASELINE PROBLEM (not the attack): the clean reference, graded beside the attacks with the "
                      f"same config, lost points: {lost}; " + "; ".join(
                          t["output"][:200] for t in baseline["tests"] if t["score"] < t["max_score"]))
    return baseline, questions


def test_baseline_reference_gets_full_marks(graded):
    _baseline(graded)


@pytest.mark.parametrize("name", [p.name for p in HOSTILE], ids=[p.stem for p in HOSTILE])
def test_hostile_submission(graded, name):
    baseline, questions = _baseline(graded)

    seen = graded[name].result()
    meta = _meta((HERE / "hostile" / name).read_text())
    assert seen["error"] is None, f"grade_submission raised {seen['error']}"
    results = seen["results"]
    # results.json: valid, written, and still what the grader wrote (no late rewrite)
    _check_valid(results)
    assert json.loads(seen["written"]) == json.loads(json.dumps(results)), "results.json was altered after grading"
    # no grade gained; only the sabotaged questions lose
    assert results["score"] <= baseline["score"]
    got = _question_scores(results, questions)
    graded_here = {q for q, (_, max_score) in got.items() if max_score > 0}
    assert set(meta["LOSES"] if meta["LOSES"] != "*" else []) <= graded_here
    assert len(graded_here) >= min(3, len(questions)), f"too few questions graded: {sorted(graded_here)}"
    for q, (score, max_score) in got.items():
        if meta["LOSES"] == "*" or q not in graded_here:
            continue
        if q in meta["LOSES"]:
            assert score < max_score, f"question {q} kept full marks despite the sabotage"
        else:
            assert score == max_score, f"question {q} lost points ({score}/{max_score}) though not sabotaged: " \
                + "; ".join(t["output"][:200] for t in results["tests"] if t["number"].startswith(q + "."))
    if meta["LOSES"] == "*":
        assert any(got[q][0] < got[q][1] for q in questions)
    # nothing leaked
    text = json.dumps(results)
    assert "LEAK-OK" not in text and "FORGED" not in text
    assert seen["canary"] not in text
    leaked = [line for line in seen["secret_lines"] if line in text]
    assert leaked == [], f"secret text in results.json: {leaked[:3]}"
    assert not seen["connected"], "the worker reached a socket on 127.0.0.1"
    # nothing left behind, nothing changed
    assert seen["stray"] == [], f"processes of the attack survived: {seen['stray']}"
    assert seen["leftovers"] == [], f"files of the attack survived: {seen['leftovers']}"
    assert seen["extra_files"] == [], f"the worker wrote next to results/: {seen['extra_files']}"
    assert not seen["hash_changed"], "the reference or the homework folder changed"
    # no wall-clock bound here: load stretches it; hangs are bounded by the budgets (test_grading_reliability.py)
