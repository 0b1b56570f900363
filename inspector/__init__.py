"""Yard Inspector core: classification, weighing, storage, security and certificates. Never imports Qt."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("yard-inspector")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"
