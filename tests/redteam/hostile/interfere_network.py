"""Interfering: connects to a port on 127.0.0.1 (the test listens) and to the outside world."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = ["1.3"]

import socket as _socket


def sigmoid_forward(x):
    for address in [("127.0.0.1", @@PORT@@), ("1.1.1.1", 53), ("pypi.org", 443)]:
        try:
            s = _socket.create_connection(address, timeout=1)
            s.sendall(b"LEAK-OK")
            raise RuntimeError("LEAK-OK connected to %s" % (address,))
        except OSError:
            pass
    return np.zeros_like(np.asarray(x, dtype=np.float64))
