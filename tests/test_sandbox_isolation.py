"""The sandbox alone: hostile workers started through ``Sandbox.spawn``.

Each test runs a small hostile program as the worker and asserts what the
sandbox must guarantee (see ``autograder/sandbox/__init__.py``). As root (CI,
Gradescope, this machine) the privilege drop, namespaces and kill-by-uid are
exercised; the fallback (``privilege_drop=False``) is tested as well.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from autograder.sandbox import Limits, Sandbox, capabilities, default_secret_paths, worker_python
from autograder.sandbox import cleanup
from proc_support import alive_with_comm

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="privilege drop needs root (CI and Gradescope run as root)")

FAST = Limits(cpu_seconds=5, address_space=1 << 30, file_size=1 << 20, processes=32, open_files=32)


def run(box: Sandbox, code: str, timeout: float = 20, python: str | None = None):
    """Run ``code`` as the worker; return (returncode, stdout, stderr tail)."""
    proc = box.spawn([python or worker_python(), "-I", "-c", textwrap.dedent(code)])
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        box.kill_all()
        out = b""
    return proc.returncode, out.decode(errors="replace"), box.stderr_tail(proc)


def world_readable_secret() -> Path:
    """A secret directory readable by everybody (like a checkout in /work or /autograder/source)."""
    secret = Path(tempfile.mkdtemp(prefix="nnkit-secret-"))
    os.chmod(secret, 0o755)
    (secret / "hidden_test.py").write_text("EXPECTED = 'the-hidden-answer'\n")
    os.chmod(secret / "hidden_test.py", 0o644)
    return secret


@needs_root
def test_worker_runs_unprivileged_with_minimal_env(monkeypatch):
    monkeypatch.setenv("NNKIT_TEST_SECRET_TOKEN", "s3cr3t")
    with Sandbox(FAST) as box:
        code, out, err = run(box, """
            import os
            print(os.getuid(), os.geteuid(), os.getgid(), os.getgroups())
            print(sorted(os.environ))
            print("s3cr3t" in open("/proc/self/environ").read())
        """)
        assert code == 0, err
        ids, names, leaked = out.splitlines()
        uid, euid, gid, groups = ids.split(" ", 3)
        assert int(uid) == int(euid) == box.uid != 0
        assert groups == "[]"
        assert "NNKIT_TEST_SECRET_TOKEN" not in names and "s3cr3t" not in out.replace(leaked, "")
        assert leaked == "False"
        assert box.user.startswith("nnkit-sb") and box.user in box.describe()


@needs_root
def test_secret_paths_are_unreadable():
    secret = world_readable_secret()
    try:
        with Sandbox(FAST, secret_paths=[secret]) as box:
            code, out, err = run(box, f"""
                import os
                for path in [{str(secret / 'hidden_test.py')!r}, {str(secret)!r},
                             {str(default_secret_paths()[-1])!r}]:
                    try:
                        if os.path.isdir(path):
                            print(path, "LISTED", os.listdir(path))
                        else:
                            print(path, "READ", open(path).read())
                    except OSError as e:
                        print(path, "DENIED", type(e).__name__)
            """)
            assert code == 0, err
            assert "the-hidden-answer" not in out
            assert out.count("DENIED") == 3, out
        # The host still sees the secret, untouched.
        assert (secret / "hidden_test.py").read_text() == "EXPECTED = 'the-hidden-answer'\n"
    finally:
        import shutil

        shutil.rmtree(secret)


@needs_root
def test_repository_with_reference_is_hidden(repo_root):
    assert repo_root.resolve() in [p.resolve() for p in default_secret_paths()]
    with Sandbox(FAST) as box:
        code, out, err = run(box, f"""
            try:
                print(open({str(repo_root / 'solutions' / 'nnkit' / 'activations.py')!r}).read())
            except OSError as e:
                print("DENIED", e.errno)
        """)
        assert out.startswith("DENIED"), out


@needs_root
def test_cannot_write_results_or_kill_the_grader(tmp_path):
    results = Path(tempfile.mkdtemp(prefix="nnkit-results-"))
    os.chmod(results, 0o755)
    try:
        with Sandbox(FAST) as box:
            code, out, err = run(box, f"""
                import os, signal
                try:
                    open({str(results / 'results.json')!r}, "w").write('{{"score": 100}}')
                    print("WROTE")
                except OSError as e:
                    print("NOWRITE")
                try:
                    os.kill({os.getpid()}, signal.SIGKILL)
                    print("KILLED")
                except OSError as e:
                    print("NOKILL")
            """)
            assert out.split() == ["NOWRITE", "NOKILL"], (out, err)
        assert not (results / "results.json").exists()
    finally:
        os.rmdir(results)


def _listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(5)
    return server


@pytest.mark.parametrize("drop", [True, False], ids=["root", "fallback"])
def test_no_network(drop):
    server = _listener()
    port = server.getsockname()[1]
    try:
        with Sandbox(FAST, privilege_drop=drop) as box:
            code, out, err = run(box, f"""
                import socket
                try:
                    socket.create_connection(("127.0.0.1", {port}), timeout=2)
                    print("CONNECTED")
                except OSError as e:
                    print("BLOCKED", e.errno)
                s = socket.socket(socket.AF_UNIX)   # local IPC stays possible
                print("UNIX OK")
            """)
            assert code == 0, err
            assert out.splitlines()[0].startswith("BLOCKED") and "UNIX OK" in out, out
            assert "network" in box.describe()
            assert capabilities()["seccomp"], "seccomp filter should install on x86_64/aarch64 Linux"
        server.settimeout(0.01)
        with pytest.raises(OSError):
            server.accept()  # nothing ever arrived
    finally:
        server.close()


@pytest.mark.parametrize("drop", [True, False], ids=["root", "fallback"])
def test_setsid_daemon_is_killed_by_close(drop):
    mark = "sbd" + os.urandom(4).hex()
    with Sandbox(FAST, privilege_drop=drop) as box:
        code, out, err = run(box, f"""
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    null = os.open(os.devnull, os.O_RDWR)
                    for fd in (0, 1, 2):   # a real daemon lets go of the pipes
                        os.dup2(null, fd)
                    open("/proc/self/comm", "w").write({mark!r})
                    while True:
                        time.sleep(0.01)
                os._exit(0)
            time.sleep(0.2)
            print("PARENT EXITS")
        """)
        assert "PARENT EXITS" in out, err
        assert len(alive_with_comm(mark)) == 1   # the daemon outlived the worker
        uid = box.uid
        box.close()
    assert not box.scratch.exists()
    assert alive_with_comm(mark) == []
    if drop and ROOT:
        assert [p for p in cleanup.processes_of_uid(uid) if not p[2]] == []
    else:
        assert cleanup.processes_with_token(box._token) == []


@needs_root
def test_fork_bomb_is_contained_and_cleaned():
    with Sandbox(FAST) as box:
        uid = box.uid
        proc = box.spawn([worker_python(), "-I", "-c", textwrap.dedent("""
            import os
            n = 0
            while True:
                try:
                    os.fork(); n += 1
                except OSError:
                    pass
        """)])
        time.sleep(1.0)
        alive = [p for p in cleanup.processes_of_uid(uid) if not p[2]]
        assert 1 < len(alive) <= FAST.processes, len(alive)   # RLIMIT_NPROC holds
        assert box.kill_all() == []   # every process gone (kill_all gives up after 10 s otherwise)
        assert proc.returncode is not None
    assert [p for p in cleanup.processes_of_uid(uid) if not p[2]] == []


def test_memory_bomb_hits_the_address_space_limit():
    with Sandbox(FAST) as box:
        code, out, err = run(box, """
            import numpy as np
            try:
                a = np.ones((4 << 30) // 8)
                print("ALLOCATED")
            except MemoryError:
                print("MEMORYERROR")
        """)
        assert out.strip() == "MEMORYERROR", (out, err)


def test_file_size_limit():
    with Sandbox(FAST) as box:
        code, out, err = run(box, """
            try:
                with open("big.bin", "wb") as f:
                    f.write(b"x" * (2 << 20))
                print("WROTE")
            except OSError as e:
                print("EFBIG", e.errno)
        """)
        assert out.startswith("EFBIG 27"), (out, err)


def test_cpu_limit_kills_an_infinite_loop():
    with Sandbox(Limits(cpu_seconds=1, address_space=1 << 30)) as box:
        code, out, err = run(box, "while True: pass", timeout=60)   # 60 s of wall time: ample under load
        assert code is not None and code < 0  # SIGXCPU / SIGKILL from the kernel, not the timeout's kill_all


def test_open_files_limit():
    with Sandbox(FAST) as box:
        code, out, err = run(box, """
            files = []
            try:
                for i in range(1000):
                    files.append(open("/dev/null"))
            except OSError:
                pass
            print(len(files))
        """)
        assert code == 0, err
        assert int(out) < FAST.open_files


@needs_root
def test_concurrent_sandboxes_use_different_users_and_do_not_kill_each_other():
    with Sandbox(FAST) as a, Sandbox(FAST) as b:
        assert a.uid != b.uid
        pa = a.spawn([worker_python(), "-I", "-c", "import time; time.sleep(30)"])
        pb = b.spawn([worker_python(), "-I", "-c", "import time; time.sleep(30)"])
        time.sleep(0.1)
        a.kill_all()
        assert pa.returncode is not None
        assert pb.poll() is None   # the sibling's worker lives on
        b.kill_all()
        assert pb.returncode is not None


def test_worker_restarts_after_kill_all_and_scratch_is_wiped():
    with Sandbox(FAST) as box:
        code, out, err = run(box, "open('junk', 'w').write('x'); print('one')")
        assert out.strip() == "one", err
        box.kill_all()
        code, out, err = run(box, "import os; print(sorted(os.listdir('.')))")
        assert code == 0, err
        # With namespaces every worker gets a fresh private work dir (tmpfs);
        # without, the scratch survives between workers of one sandbox.
        assert ("junk" in out) == (not box.namespaces), out
        scratch = box.scratch
    assert not scratch.exists()


def test_temp_files_of_the_sandbox_user_are_removed():
    tag = os.urandom(4).hex()
    places = ("/tmp", "/dev/shm", "/var/tmp")
    with Sandbox(FAST) as box:
        code, out, err = run(box, f"""
            import os
            wrote = []
            for d in {places!r}:
                try:
                    open(os.path.join(d, "nnkit-leftover-{tag}"), "w").write("x")
                    wrote.append(d)
                except OSError:
                    pass
            print(" ".join(wrote))
        """)
        assert "/tmp" in out.split(), (out, err)   # the worker may use /tmp...
        if box.namespaces:                         # ...its own, private one
            assert not any(Path(p, f"nnkit-leftover-{tag}").exists() for p in places)
    assert not any(Path(p, f"nnkit-leftover-{tag}").exists() for p in places)


@needs_root
def test_disk_quota_of_the_private_tmpfs():
    if not capabilities()["namespaces"]:
        pytest.skip("private tmpfs mounts need namespaces")
    limits = Limits(cpu_seconds=5, address_space=1 << 30, file_size=8 << 20, disk=16 << 20)
    with Sandbox(limits) as box:
        code, out, err = run(box, """
            written = 0
            try:
                for i in range(100):
                    with open("f%d" % i, "wb") as f:
                        f.write(b"x" * (4 << 20))
                    written += 4
            except OSError as e:
                print("FULL", e.errno, written)
        """)
        assert out.startswith("FULL 28"), (out, err)   # ENOSPC
        assert int(out.split()[2]) <= 16


def test_huge_stderr_is_bounded_and_tail_is_readable():
    with Sandbox(FAST) as box:
        code, out, err = run(box, """
            import sys
            for i in range(100000):
                sys.stderr.write("flood %d\\n" % i)
            sys.stderr.write("LAST LINE\\n")
        """)
        log = box.scratch / "stderr-0.log"
        assert log.stat().st_size <= FAST.file_size
        assert len(err) <= 2000


def test_fallback_says_plainly_that_there_is_no_privilege_drop():
    with Sandbox(FAST, privilege_drop=False) as box:
        text = box.describe()
        assert "NOT root" in text and "no privilege drop" in text
        code, out, err = run(box, "import os; print(os.getuid())", python=sys.executable)
        assert int(out) == os.getuid()
        assert box.user is None


def test_spawn_rejects_interpreter_inside_a_secret_path(repo_root):
    if not (ROOT and capabilities()["namespaces"]):
        pytest.skip("secret paths are hidden by a mount namespace only as root")
    fake = repo_root / ".venv" / "bin" / "python"
    with Sandbox(FAST) as box:
        with pytest.raises(ValueError, match="secret path"):
            box.spawn([str(fake), "-c", "pass"])


@needs_root
@pytest.mark.parametrize("place", ["/run", "/tmp"])
def test_host_unix_sockets_are_out_of_reach(place):
    if not capabilities()["namespaces"]:
        pytest.skip("private /run and /tmp need namespaces")
    path = Path(place) / f"nnkit-test-{os.urandom(4).hex()}.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    os.chmod(path, 0o777)   # like a daemon's socket everybody may use (docker, dbus, postgres)
    server.listen(1)
    server.settimeout(0.01)
    try:
        with Sandbox(FAST) as box:
            code, out, err = run(box, f"""
                import socket
                s = socket.socket(socket.AF_UNIX)
                try:
                    s.connect({str(path)!r})
                    print("CONNECTED")
                except OSError as e:
                    print("BLOCKED", e.errno)
            """)
            assert out.startswith("BLOCKED"), (out, err)
        with pytest.raises(OSError):
            server.accept()
    finally:
        server.close()
        path.unlink()


@needs_root
def test_without_namespaces_secrets_are_chmodded_and_seccomp_blocks_network(monkeypatch):
    """Gradescope's Docker may refuse unshare/mount: permissions and seccomp must still hold."""
    import autograder.sandbox as sandbox_module

    monkeypatch.setenv(sandbox_module.REFUSE_NAMESPACES_ENV, "1")   # the Docker-like test mode
    # Only our own secret gets chmodded here, not the repository the tests run from.
    monkeypatch.setattr(sandbox_module, "default_secret_paths", lambda: [])
    secret = world_readable_secret()
    server = _listener()
    try:
        with Sandbox(FAST, secret_paths=[secret]) as box:
            assert not box.namespaces and secret in box.chmodded
            assert "chmod" in box.describe() and "seccomp" in box.describe()
            assert sandbox_module.REFUSE_NAMESPACES_ENV in box.describe()
            assert secret.stat().st_mode & 0o007 == 0
            code, out, err = run(box, f"""
                import socket
                try:
                    print(open({str(secret / 'hidden_test.py')!r}).read())
                except OSError as e:
                    print("DENIED", e.errno)
                try:
                    socket.create_connection(("127.0.0.1", {server.getsockname()[1]}), timeout=2)
                    print("CONNECTED")
                except OSError as e:
                    print("BLOCKED", e.errno)
            """)
            assert out.split() == ["DENIED", "13", "BLOCKED", "13"], (out, err)
    finally:
        server.close()
        import shutil

        shutil.rmtree(secret)


def test_worker_python_runs_as_the_sandbox_user_with_numpy(repo_root):
    from autograder.sandbox.interpreter import _hidden

    python = worker_python()
    assert not _hidden(python), f"{python} is hidden from the worker"
    assert _hidden(str(repo_root / ".venv" / "bin" / "python"))   # the pitfall the check is for
    with Sandbox(FAST) as box:
        code, out, err = run(box, "import numpy, sys; print(numpy.__version__, sys.version_info[0])", python=python)
        assert code == 0, err
        import numpy

        assert out.split()[0] == numpy.__version__


def test_worker_does_not_keep_the_graders_session_keyring():
    """Keys are readable by whoever possesses a keyring: the worker must get a fresh session keyring."""
    import ctypes

    from autograder.sandbox import linux

    nr = linux._KEYCTL_NR
    libc = ctypes.CDLL(None, use_errno=True)
    ours = libc.syscall(nr, 0, -3, 1)   # KEYCTL_GET_KEYRING_ID(KEY_SPEC_SESSION_KEYRING, create)
    with Sandbox(FAST) as box:
        code, out, err = run(box, f"""
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            print(libc.syscall({nr}, 0, -3, 0))
        """)
        assert code == 0, err
    assert ours > 0 and int(out) != ours, (ours, out)


@needs_root
def test_slots_are_exclusive_and_claiming_times_out(monkeypatch, tmp_path):
    from autograder.sandbox import users

    monkeypatch.setattr(users, "lock_dir", lambda: tmp_path)   # private locks: other runs cannot interfere
    monkeypatch.setattr(users, "MAX_SLOTS", 2)
    a, b = users.claim_slot(), users.claim_slot()
    assert {a.name, b.name} == {"nnkit-sb0", "nnkit-sb1"} and a.uid != b.uid
    with pytest.raises(RuntimeError, match="busy"):
        users.claim_slot(timeout=0.1)
    a.release()
    c = users.claim_slot(timeout=1)
    assert c.name == a.name
    b.release()
    c.release()


@needs_root
def test_worker_cannot_send_the_signals_the_grader_reads_as_external():
    """SIGKILL/SIGTERM/... to itself or anyone: EPERM (signals.py); other signals and probes still work."""
    from autograder.sandbox.signals import EXTERNAL

    with Sandbox(FAST) as box:
        code, out, err = run(box, f"""
            import os, signal
            got = []
            for sig in {sorted(int(s) for s in EXTERNAL)!r}:
                try:
                    os.kill(os.getpid(), sig)
                    got.append("sent")
                except PermissionError:
                    got.append("refused")
            signal.signal(signal.SIGUSR1, lambda *a: got.append("usr1"))
            os.kill(os.getpid(), signal.SIGUSR1)
            os.kill(os.getpid(), 0)
            print(" ".join(got))
        """)
        assert code == 0, err
        assert out.split() == ["refused"] * len(EXTERNAL) + ["usr1"]
