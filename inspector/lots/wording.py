"""Why the operating system would not read or write a lots file (a packet, a decision), as a parameter.

(The reasons the lots store in English are worded by ``inspector.messages.reasons``.)
"""

from __future__ import annotations

import errno

from inspector.messages import Term

# The operating system's reasons a file cannot be read or written that have words of their own
# (``words.lot_file_problem``); any other is shown as the system says it.
_FILE_PROBLEMS = frozenset({"ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "ENOSPC", "EROFS"})


def file_problem(exc: OSError) -> object:
    """Why a file could not be read or written, as an error's parameter."""
    name = errno.errorcode.get(exc.errno or 0, "")
    if name in _FILE_PROBLEMS:
        return Term("lot_file_problem", name)
    return exc.strerror or str(exc)
