"""Certificates: what one holds (``model``), drawing it (``render``), the signed QR payload (``qr``), the
PAdES signature (``sign``), checking a file or QR (``verify``, ``qr.verify_qr``), trust material (``trust``)
and the whole issue step (``issue``).

ReportLab and pyHanko are slow to import, so import the submodules where they are used.
"""
