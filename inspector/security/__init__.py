"""Users and roles, passwords, signing keys, and the tamper-evident audit trail."""
