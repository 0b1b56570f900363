"""Use cases: keyword-only functions taking the session explicitly, writing rows and audit events in one transaction."""
