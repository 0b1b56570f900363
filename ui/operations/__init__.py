"""Operations: what a screen asks for, in one line each, grouped by area (intake, lots, certificates, ...).

Each function takes the door, the screen that asks (``owner``: results for a closed screen are dropped),
the operation's own values and the callbacks; it runs the service or read model through the door
(``door.write(..., changes=...)`` or ``door.read(...)``) and returns the job's number. Screens call these and
never open a session, name a table or call a service themselves.
"""
