"""Interfering: tries to become root (setuid, sudo, su) and to leave its namespaces."""
CATEGORY = "interfere"
MODULE = "activations"
LOSES = ["1.3"]

import os as _os
import subprocess as _subprocess


def sigmoid_forward(x):
    gained = []
    try:
        _os.setuid(0)
        gained.append("setuid")
    except OSError:
        pass
    for cmd in (["sudo", "-n", "id", "-u"], ["su", "-c", "id -u"], ["nsenter", "-t", "1", "-n", "true"]):
        try:
            out = _subprocess.run(cmd, capture_output=True, timeout=2, stdin=_subprocess.DEVNULL)
            if out.returncode == 0 and cmd[0] != "su":
                gained.append(cmd[0])
        except (OSError, _subprocess.SubprocessError):
            pass
    if gained and _os.getuid() != 0:
        gained = [g for g in gained if g != "setuid"]
    if gained:
        raise RuntimeError("LEAK-OK " + ",".join(gained))
    return np.zeros_like(np.asarray(x, dtype=np.float64))
