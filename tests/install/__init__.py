"""How Yard Inspector is installed and started: the lock, the wheel, the words a user sees on stderr."""
