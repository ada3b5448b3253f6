"""Test helper: live processes found by their command name (/proc/<pid>/comm)."""

import os
from pathlib import Path


def alive_with_comm(mark: str) -> list[int]:
    """PIDs of processes named ``mark`` that are neither zombies nor dead."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if comm == mark and state not in ("Z", "X"):
            found.append(int(pid))
    return found
