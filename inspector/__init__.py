"""Yard Inspector core: classification, weighing, storage, security and certificates. Never imports Qt."""

# The one home of the version: pyproject.toml reads it from here when the package is built.
__version__ = "0.1.0"
