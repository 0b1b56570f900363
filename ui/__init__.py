"""Yard Inspector desktop front end (PySide6). Imports inspector, never the reverse."""
