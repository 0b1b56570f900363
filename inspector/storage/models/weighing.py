"""Tables of the weighing area (being written)."""
