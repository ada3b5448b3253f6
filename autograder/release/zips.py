"""Step 7: byte-reproducible zip files.

Same files in -> same bytes out, on any machine and at any time: entries
sorted by name, one fixed timestamp (``SOURCE_DATE_EPOCH`` when set, else
1980-01-01, the earliest a zip can hold), Unix permissions 0644 for files and
0755 for scripts, no directory entries, no absolute paths, and no compression
(``ZIP_STORED``): deflate's bytes depend on the zlib build (zlib-ng, as some
distributions ship, compresses differently), stored bytes do not. The zips
stay well under a megabyte.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
SCRIPT_MODE = 0o755


@dataclass(frozen=True)
class Entry:
    """One file of a zip: its bytes and its Unix permission bits."""

    data: bytes
    mode: int = FILE_MODE


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """The date_time of every entry: ``SOURCE_DATE_EPOCH`` (UTC, even seconds) or 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    try:
        stamp = time.gmtime(int(epoch))
    except ValueError:
        raise ValueError(f"SOURCE_DATE_EPOCH must be an integer number of seconds, got {epoch!r}") from None
    if stamp.tm_year < 1980:
        return ZIP_EPOCH
    return (stamp.tm_year, stamp.tm_mon, stamp.tm_mday, stamp.tm_hour, stamp.tm_min, stamp.tm_sec - stamp.tm_sec % 2)


def check_arcname(name: str) -> None:
    """A relative POSIX path without ``..``: nothing in a zip may escape its folder."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or name.endswith("/"):
        raise ValueError(f"zip entry names must be relative file paths without '..', got {name!r}")


def zip_bytes(files: dict[str, Entry]) -> bytes:
    """The zip of ``files`` (arcname -> Entry) as bytes, deterministically."""
    stamp = zip_timestamp()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            check_arcname(name)
            entry = files[name]
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, so that external_attr carries the mode everywhere
            info.external_attr = (0o100000 | entry.mode) << 16
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, entry.data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()
