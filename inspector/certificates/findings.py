"""What checking a certificate found, as a code with parameters, worded for a person in either language.

A verification never raises for a bad file or QR text: it says why it is not valid (or that it is). That
verdict is a ``Finding``: a stable code (``verify.pdf.changed_after_signing``) with its parameters, worded
like an error, from the catalogue's ``errors.<code>`` (``text`` and optionally ``hint``), in the reader's
language (the window's, the command line's) and in English for logs and ``str()``. The JSON of
``yard-inspector verify --json`` carries the code and parameters, the English words and the words in the
user's language. Like a bilingual text it has ``zh`` and ``en``, so it can be a parameter of another text.
"""

from __future__ import annotations

from inspector.messages.notice import Notice


class Finding(Notice):
    """One verdict of a check: ``Finding("verify.pdf.many_signatures", count=2)``."""

    __slots__ = ()
