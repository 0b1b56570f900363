"""The inspector's intake workflow without Qt: the steps and their checks (``steps``) and drafts (``drafts``).

The use cases that write (submit a step, sampling, photos, lab results, trucks on site) are in
``inspector.services.intake``.
"""
