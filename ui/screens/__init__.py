"""Screens: each is built from its dependencies and can be constructed in a test without the main window."""
