"""The strict frame protocol and the worker/client boundary: bad input is a failed call, never a crash."""

import io
import os
import struct
import time

import numpy as np
import pytest

from autograder.worker import protocol
from autograder.grading.client import StudentCallFailed, WorkerClient
from autograder.worker.protocol import ChannelClosed, ChannelTimeout, ProtocolError, Rejected


def roundtrip(value):
    frame = protocol.pack_message({"id": 1}, value)
    return protocol.unpack_message(frame[4:])[1]


def test_values_roundtrip_exactly():
    value = (np.arange(6, dtype=np.int32).reshape(2, 3), {"W": np.ones((2, 2)), "n": 3}, [1.5, float("nan"), None],
             np.float64(2.5), np.zeros((0, 4)), True, "text", np.asfortranarray(np.arange(6.0).reshape(3, 2)))
    got = roundtrip(value)
    assert type(got) is tuple and len(got) == len(value)
    assert got[0].dtype == np.int32 and np.array_equal(got[0], value[0])
    assert type(got[1]) is dict and np.array_equal(got[1]["W"], np.ones((2, 2))) and got[1]["n"] == 3
    assert got[2][0] == 1.5 and np.isnan(got[2][1]) and got[2][2] is None
    assert isinstance(got[3], np.float64) and got[3] == 2.5
    assert got[4].shape == (0, 4)
    assert got[5] is True and got[6] == "text"
    assert np.array_equal(got[7], value[7])


def test_payload_is_valid_npy():
    blobs = []
    protocol.encode_value(np.arange(5.0), blobs)
    assert np.array_equal(np.load(io.BytesIO(blobs[0]), allow_pickle=False), np.arange(5.0))


@pytest.mark.parametrize("value,what", [
    (np.array([object()]), "dtype object"),
    (np.array([1 + 2j]), "dtype complex128"),
    (np.zeros(2, dtype=[("a", "f8")]), "dtype"),
    (np.ones(2).view(type("Sneaky", (np.ndarray,), {"__module__": "student"})), "ndarray subclass student.Sneaky"),
    (object(), "an object of type builtins.object"),
])
def test_values_that_cannot_cross_arrive_as_rejected(value, what):
    got = roundtrip([value, 1.0])
    assert isinstance(got[0], Rejected) and what in got[0].what
    assert got[1] == 1.0  # the rest of the value still arrives


def _npy_header(descr: str, shape: str) -> bytes:
    head = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    head += " " * (64 - (10 + len(head) + 1) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head.encode()


def test_pickle_payload_is_refused():
    buf = io.BytesIO()
    np.save(buf, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ProtocolError, match="plain form|not allowed"):
        protocol.read_npy(buf.getvalue())


@pytest.mark.parametrize("descr", ["<c16", "|O", "<M8[s]", "|V8"])
def test_dtypes_outside_the_whitelist_are_refused(descr):
    with pytest.raises(ProtocolError):
        protocol.read_npy(_npy_header(descr, "(1,)") + b"\0" * 16)


def test_element_cap_is_checked_before_allocating():
    data = _npy_header("<f8", "(1000000000,)") + b"\0" * 8   # claims 8 GB, carries 8 bytes
    with pytest.raises(ProtocolError, match="elements"):
        protocol.read_npy(data)


def test_payload_length_must_match_shape():
    with pytest.raises(ProtocolError, match="needs"):
        protocol.read_npy(_npy_header("<f8", "(3,)") + b"\0" * 16)


def test_unknown_tags_and_json_constants_are_refused():
    head = b'{"id":1,"value":{"$":"eval","x":1},"blobs":[]}'
    with pytest.raises(ProtocolError, match="unknown value tag"):
        protocol.unpack_message(struct.pack(">I", len(head)) + head)
    head = b'{"id":1,"value":NaN,"blobs":[]}'
    with pytest.raises(ProtocolError, match="constant"):
        protocol.unpack_message(struct.pack(">I", len(head)) + head)


def test_function_references_are_refused_on_the_trusted_side():
    frame = protocol.pack_message({"id": 1}, protocol.FunctionRef("affine", {}))
    with pytest.raises(ProtocolError, match="function reference"):
        protocol.unpack_message(frame[4:])


def test_oversized_frame_is_refused_before_reading_it():
    r, w = os.pipe()
    try:
        os.write(w, struct.pack(">I", protocol.MAX_FRAME + 1))
        with pytest.raises(ProtocolError, match="exceeds the cap"):
            protocol.read_frame(r, time.monotonic() + 1)
    finally:
        os.close(r)
        os.close(w)


def test_truncated_frame_is_a_closed_channel():
    r, w = os.pipe()
    os.write(w, struct.pack(">I", 100) + b"only a part")
    os.close(w)
    try:
        with pytest.raises(ChannelClosed):
            protocol.read_frame(r, time.monotonic() + 1)
    finally:
        os.close(r)


def test_silence_is_a_timeout_at_the_deadline():
    r, w = os.pipe()
    try:
        started = time.monotonic()
        with pytest.raises(ChannelTimeout):
            protocol.read_frame(r, started + 0.2)
        assert 0.15 < time.monotonic() - started   # not before the deadline (load can only delay it)
    finally:
        os.close(r)
        os.close(w)


HOSTILE = '''
import os, sys, time
import numpy as np

def add_forward(x, y):
    print("noise on stdout " * 1000)   # must not corrupt the protocol
    return x + y

def mul_forward(x, y):
    x *= 2.0
    return x * y

def max_forward(x, y):
    while True:
        pass

def add_backward(dout, x, y):
    os._exit(3)

def mul_backward(dout, x, y):
    sys.exit(0)

def max_backward(dout, x, y):
    for fd in range(3, 12):
        try:
            os.write(fd, b"\\x00\\x00\\x00\\x10garbage-garbage!")
        except OSError:
            pass
    time.sleep(0.2)
    return dout

def neuron_forward(x, w):
    return np.ones(10_000_000)

def neuron_backward(dout, x, w):
    return np.matrix(x), x.astype(complex)
'''


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "nnkit").mkdir()
    (root / "nnkit" / "__init__.py").write_text("")
    (root / "nnkit" / "gates.py").write_text(HOSTILE)
    with WorkerClient(root) as client:
        yield client


def call_fails(client, target, *args, timeout=5.0):
    with pytest.raises(StudentCallFailed) as info:
        client.call(target, *args, timeout=timeout)
    return info.value


@pytest.mark.slow
def test_hostile_calls_fail_with_reasons_and_the_worker_recovers(hostile):
    x = np.ones((2, 2))
    assert np.array_equal(hostile.call("gates.add_forward", x, x), 2 * x)
    assert "modified its input x" in call_fails(hostile, "gates.mul_forward", x, x).reason
    timeout = call_fails(hostile, "gates.max_forward", x, x, timeout=1.0)
    assert timeout.kind == "timeout" and "did not finish in time" in timeout.reason
    died = call_fails(hostile, "gates.add_backward", x, x, x)
    assert died.kind == "died" and "exit code 3" in died.reason
    assert "SystemExit" in call_fails(hostile, "gates.mul_backward", x, x, x).reason
    garbage = call_fails(hostile, "gates.max_backward", x, x, x)
    assert garbage.kind in ("protocol", "died")
    assert "ReturnValueError" in call_fails(hostile, "gates.neuron_forward", x, x).reason
    bad = hostile.call("gates.neuron_backward", x, x, x)
    assert isinstance(bad[0], Rejected) and "matrix" in bad[0].what
    assert isinstance(bad[1], Rejected) and "complex" in bad[1].what
    missing = call_fails(hostile, "gates.nothing_here", x)
    assert missing.kind == "missing" and "defines no function nothing_here" in missing.reason
    assert np.array_equal(hostile.call("gates.add_forward", x, x), 2 * x)  # still serving
    assert hostile.restarts >= 3


@pytest.mark.slow
def test_question_deadline_caps_every_call(hostile):
    hostile.deadline = time.monotonic() + 0.5
    try:
        failed = call_fails(hostile, "gates.max_forward", np.ones(2), np.ones(2), timeout=30)
        assert failed.kind == "timeout" and failed.question_limit   # the question's budget cut it, not the call's 30 s
        assert "time limit" in call_fails(hostile, "gates.add_forward", np.ones(2), np.ones(2)).reason
    finally:
        hostile.deadline = None
