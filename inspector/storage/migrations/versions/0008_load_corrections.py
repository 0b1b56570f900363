"""load corrections: the record of a cancelled load (append-only)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# A cancellation is never changed or undone. The one update allowed is the audit bookkeeping written right
# after the insert (row_hash and audit_seq, while row_hash is unset).
CANCELLATION_TRIGGERS = (
    """CREATE TRIGGER load_cancellation_no_update BEFORE UPDATE ON load_cancellation
       WHEN OLD.row_hash IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'a load cancellation cannot be changed'); END""",
    """CREATE TRIGGER load_cancellation_no_delete BEFORE DELETE ON load_cancellation
       BEGIN SELECT RAISE(ABORT, 'a load cancellation cannot be undone'); END""",
)

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "load_cancellation",
        sa.Column("row_hash", sa.String(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("state_before", sa.String(length=20), nullable=False),
        sa.Column("cancelled_by", sa.String(length=60), nullable=False),
        sa.Column("confirmed_by", sa.String(length=60), nullable=True),
        sa.Column("cancelled_at", sa.String(length=32), nullable=False),
        sa.Column("cancelled_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("load_id"),
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in CANCELLATION_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS load_cancellation_no_delete")
        op.execute("DROP TRIGGER IF EXISTS load_cancellation_no_update")
    op.drop_table("load_cancellation")
