"""Tables of the certificates area (being written)."""
