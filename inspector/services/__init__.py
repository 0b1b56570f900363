"""Use cases: keyword-only functions taking the session; rows and audit events in one transaction."""
