"""Red team, callbacks: the channel between grader and worker stays in step.

Seen once in the red team under load: 1.4's numerical_jacobian failed with
"produced an invalid reply (reply to request None, expected 204)". Its cause
was a worker of another version than its client: worker.py, protocol.py and
callables.py were copied from the files on disk at every spawn, so a commit
made while the red team ran (254f1c2 moved ``affine`` from callables.py to
trusted.py) gave workers a callables.py without ``affine`` while the grading
process, loaded before, still sent it as a worker-side FunctionRef. The
worker could not build it and answered id None, hiding why.

Each test here failed on the code before the fix:

- a worker runs the files its client loaded, whatever happens on disk later;
- a request the worker cannot decode is reported with the worker's reason;
- a stub called from another thread, or after its call returned, raises a
  clear error in the worker and sends nothing (it used to put a frame on the
  channel that neither side was waiting for);
- a callback cut off between sending and reading its answer stops the worker
  (the answer would reach the main loop as a request);
- bytes the worker wrote between two requests are never read as the next
  request's reply: the worker is replaced first.
"""

from __future__ import annotations

import select

import numpy as np
import pytest

from autograder.grading import client as client_module
from autograder.grading import trusted
from autograder.grading.client import StudentCallFailed, WorkerClient
from autograder.worker.protocol import FunctionRef
from autograder.sandbox import Limits

SUBMISSION = '''
import json
import os
import struct
import sys
import threading

import numpy as np

LATE = {}


def jacobian(f, x):
    """A plain numerical Jacobian: one callback per evaluation."""
    x = np.asarray(x, dtype=np.float64)
    base = np.asarray(f(x))
    rows = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = 1e-6
        rows.append((np.asarray(f(x + step)) - np.asarray(f(x - step))) / 2e-6)
    return np.array(rows).reshape(x.size, base.size)


def _outcome(f, x):
    try:
        return f(x)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def from_thread(f, x):
    """f called by another thread while this call waits for it, then by this thread."""
    out = []
    thread = threading.Thread(target=lambda: out.append(_outcome(f, x)))
    thread.start()
    thread.join()
    return out[0], f(x)


def leave_thread(f, x):
    """A thread that calls f once released, after this call has returned."""
    go = threading.Event()
    out = []

    def late():
        go.wait(30)
        out.append(_outcome(f, x))

    thread = threading.Thread(target=late, daemon=True)
    thread.start()
    LATE.update(go=go, out=out, thread=thread)
    return 0


def release():
    LATE["go"].set()
    return 0


def late_outcome():
    LATE["thread"].join(30)
    return LATE["out"][0] if LATE["out"] else "the thread never returned"


def forge_then_return(x):
    """Writes a well-formed reply to the running request itself: the worker's own reply then follows it."""
    main = sys.modules["__main__"]
    head = json.dumps({"id": main._CURRENT_CALL[0], "ok": True, "modified": [], "value": 7, "blobs": []}).encode()
    os.write(main.PROTO_OUT, struct.pack(">I", 4 + len(head)) + struct.pack(">I", len(head)) + head)
    return x


def cut_off(f, x):
    """The stub's read of the answer raises (as a signal handler's exception would), and this catches it."""
    proto = sys.modules["protocol"]
    real = proto.read_frame

    def interrupted(*args, **kwargs):
        proto.read_frame = real
        raise KeyboardInterrupt("as if a signal handler raised here")

    proto.read_frame = interrupted
    try:
        f(x)
    except BaseException:
        pass
    return "carried on"


def use_probe(loss_fn, X):
    return loss_fn({}, X, None)[0]


def double(x):
    return 2 * np.asarray(x)
'''

A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
C = np.array([0.5, -0.5])
X = np.array([0.1, 0.2, 0.3])
AFFINE = FunctionRef("affine", {"A": A, "c": C})


def _submission(root):
    (root / "nnkit").mkdir()
    (root / "nnkit" / "__init__.py").write_text("")
    (root / "nnkit" / "cb.py").write_text(SUBMISSION)
    return root


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return _submission(tmp_path_factory.mktemp("callbacks-sub"))


@pytest.fixture
def client(root):
    with WorkerClient(root, Limits(cpu_seconds=60, address_space=1 << 30)) as c:
        yield c


def test_numerical_jacobian_by_callback_is_exact(client):
    got = client.call("cb.jacobian", AFFINE, X)
    assert np.allclose(got, A.T, atol=1e-6)


def test_a_worker_runs_the_files_its_client_loaded(client, tmp_path, monkeypatch):
    # callables.py loses batch_probe on disk after the grader loaded it (a commit during a long run)
    edited = tmp_path / "callables.py"
    text = client_module.WORKER_FILES["callables.py"].read_text()
    assert '"batch_probe": batch_probe,' in text
    edited.write_text(text.replace('"batch_probe": batch_probe,', ""))
    monkeypatch.setitem(client_module.WORKER_FILES, "callables.py", edited)
    # the worker, started now, still builds batch_probe in its own process: loss = 2^0 + 2^1 + 2^2
    assert client.call("cb.use_probe", FunctionRef("batch_probe"), np.arange(3.0)[:, None]) == 7.0


def test_an_undecodable_request_names_the_workers_reason(client, monkeypatch):
    # the incident: a grader that does not know "affine" is trusted sends it to the worker as is
    monkeypatch.delitem(trusted.FUNCTIONS, "affine")
    with pytest.raises(StudentCallFailed) as info:
        client.call("cb.jacobian", AFFINE, X)
    assert info.value.kind == "protocol"
    assert "could not read request" in info.value.reason and "unknown function reference" in info.value.reason
    assert "affine" in info.value.reason


def test_a_stub_called_from_another_thread_is_refused_in_the_worker(client):
    from_thread, from_main = client.call("cb.from_thread", AFFINE, X)
    assert isinstance(from_thread, str) and from_thread.startswith("GraderCallbackError")
    assert "another thread" in from_thread
    assert np.allclose(from_main, A @ X + C)


def test_a_stub_called_after_its_call_returned_keeps_the_channel_in_step(client):
    assert client.call("cb.leave_thread", AFFINE, X) == 0
    assert client.call("cb.release") == 0      # the thread calls f now, while the worker waits for a request
    late = client.call("cb.late_outcome")
    assert isinstance(late, str) and late.startswith("GraderCallbackError") and "another thread" in late
    restarts = client.restarts
    assert np.allclose(client.call("cb.jacobian", AFFINE, X), A.T, atol=1e-6)
    assert np.array_equal(client.call("cb.double", X), 2 * X)
    assert client.restarts == restarts         # nothing was out of step: the same worker serves on


def test_output_written_between_requests_is_never_read_as_a_reply(client):
    assert client.call("cb.forge_then_return", 3) == 7    # the forged frame came first: it is read as the reply
    # the worker's own reply to that request now waits in the pipe, unasked for
    assert select.select([client.proc.stdout], [], [], 30)[0]
    restarts = client.restarts
    assert np.array_equal(client.call("cb.double", X), 2 * X)
    assert client.restarts == restarts + 1      # that worker was replaced before the request was sent


def test_a_callback_cut_off_halfway_stops_the_worker_not_a_later_call(client):
    with pytest.raises(StudentCallFailed) as info:
        client.call("cb.cut_off", AFFINE, X)
    assert info.value.kind == "died" and "interrupted a call of a grader function" in info.value.reason
    assert np.array_equal(client.call("cb.double", X), 2 * X)     # a fresh worker, in step
