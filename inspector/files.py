"""Files that must survive a crash or a power cut: written whole or not at all, and on the disk when the
write returns (signed certificates, key files, audit checkpoints)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path``: a temporary file beside it, synced, renamed over ``path``, then the folder
    synced so the rename survives a power cut too. ``private``: readable by this user only.

    Raises ``OSError`` (the caller says in words what could not be written); a failed write leaves no
    temporary file and ``path`` as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            if private:
                os.chmod(tmp, 0o600)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    # A folder can be opened and synced on POSIX systems; on Windows the rename is journalled with the file.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
