"""Exhausting the clean-up: a 1500-level directory chain, chmod 000 folders, a symlink loop, a FIFO and a
socket in its work dir, at import (issue 12, finding 6: RecursionError in the clean-up, empty results.json).

Every function stays correct: nothing may be lost, and the clean-up must still remove everything.
"""
CATEGORY = "exhaust"
MODULE = "gates"
LOSES = []
KEEP = ["1.1"]   # test_redteam_round2 grades only 1.1 (the litter is made at import)

import os as _os
import socket as _socket


def _litter():
    base = _os.path.abspath("@@MARK@@-deep")
    try:
        _os.mkdir(base)
        fd = _os.open(base, _os.O_RDONLY)
        for _ in range(1500):   # fd-relative: the path would exceed PATH_MAX
            _os.mkdir("d", dir_fd=fd)
            nxt = _os.open("d", _os.O_RDONLY, dir_fd=fd)
            _os.close(fd)
            fd = nxt
        _os.close(fd)
        locked = _os.path.join(base, "locked")
        _os.makedirs(_os.path.join(locked, "inner"))
        open(_os.path.join(locked, "inner", "f"), "w").close()
        _os.chmod(_os.path.join(locked, "inner"), 0)
        _os.chmod(locked, 0)
        _os.symlink(base, _os.path.join(base, "loop"))
        _os.mkfifo(_os.path.join(base, "fifo"))
        s = _socket.socket(_socket.AF_UNIX)
        s.bind(_os.path.join(base, "sock"))
    except OSError:
        pass


_litter()
