"""Persistence: SQLModel tables, the engine with its PRAGMAs, Alembic migrations, backup and integrity.

Everything SQLite-specific stays in this package, so the same services can later run on PostgreSQL.
"""
