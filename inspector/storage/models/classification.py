"""Tables of the classification area (being written)."""
