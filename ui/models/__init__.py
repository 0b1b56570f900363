"""Qt item models over lazily fetched rows."""
