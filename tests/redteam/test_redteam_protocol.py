"""Red team, protocol level: every malformed frame of ``hostile/forge_protocol_malformed.py``
fed straight to the trusted side's reader must raise ``ProtocolError`` quickly — never
crash, hang, allocate the claimed size or unpickle.

(The end-to-end suite sends them from a real worker, but a question's time limit lets
only the first few through; here each one is checked.)
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.worker import protocol

HOSTILE = Path(__file__).resolve().parent / "hostile" / "forge_protocol_malformed.py"


def _attacks() -> list[bytes]:
    namespace = {"np": np, "__name__": "hostile"}
    exec(compile(HOSTILE.read_text(), str(HOSTILE), "exec"), namespace)
    return namespace["_attacks"](7)


ATTACKS = _attacks()


@pytest.mark.parametrize("index", range(len(ATTACKS)))
def test_malformed_frame_is_a_protocol_error(index):
    frame = ATTACKS[index]
    r, w = os.pipe()
    # The writer may block on a full pipe (large frames): write from a thread, then close.
    def feed():
        try:
            os.write(w, frame)
        except OSError:
            pass
        finally:
            os.close(w)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    started = time.monotonic()
    try:
        with pytest.raises(protocol.ProtocolError):
            body = protocol.read_frame(r, time.monotonic() + 2.0)
            header, value = protocol.unpack_message(body)
            # A frame that decodes must still not carry a usable forged answer.
            assert not isinstance(value, np.ndarray) or value.dtype.kind in "biuf"
            raise AssertionError(f"frame {index} decoded to {header!r} {value!r}")
    finally:
        os.close(r)
        writer.join(timeout=5)
    assert time.monotonic() - started < 3.0
