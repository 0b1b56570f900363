"""Tables of the security area (being written)."""
