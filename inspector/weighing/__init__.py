"""Weighbridge indicators: the legally relevant part of weighing, kept apart from the UI (WELMEC 7.2 "S").

- ``frame``: ``Frame`` (one valid indicator message) and ``Reject`` (an invalid one, with a reason code).
- ``profiles``: one pure parser per indicator protocol, the splitters that frame a byte stream, ``Decoder``
  (bytes in, frames out, link health) and ``get_profile(name)``.
- ``stability``: software stability for protocols without a motion flag (>= 0.4 s within +-3 e).
- ``capture``: the capture rule (``check_capture``) and ``LiveMonitor`` (zero return, jumps, staleness, the
  yard's stability delay).
- ``reader``: ``ScaleReader`` (a pyserial port read in a plain thread), ``LiveScale`` (reader + monitor),
  ``probe_connection`` (the settings screen's test).
- ``simulator``: a simulated indicator on a pseudo-terminal (POSIX), for the demo and the tests.

Storing a weight is ``inspector.services.weighing``'s job.
"""
