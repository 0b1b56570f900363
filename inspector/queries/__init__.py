"""Read models: what screens and commands show (pages, queues, details), as frozen dataclasses.

Functions here take the session first and only read. With ``inspector.storage`` this is the one place
allowed SQL that is not portable, so another database touches only these two packages. Lists page by key
(the last row's sort key), never by OFFSET, so a page costs the same at row 10 and at row 100,000.
"""
