"""The inspector's intake workflow without Qt: the steps and their checks (``steps``), drafts (``drafts``),
the gate cameras (``camera``) and the stamp written into a capture photo's corner (``stamp``).

The use cases that write (submit a step, sampling, photos, lab results, trucks on site) are in
``inspector.services.intake``.
"""
