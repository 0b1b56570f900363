"""weighing: weighings of loads (raw frame, source, stability) and stored tares

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stored_tare",
        sa.Column("row_hash", sa.String(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=10), nullable=False),
        sa.Column("subject_ref", sa.String(length=40), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("source_weighing_id", sa.Integer(), nullable=True),
        sa.Column("manual_reason", sa.String(length=500), nullable=True),
        sa.Column("confirmed_by", sa.String(length=60), nullable=True),
        sa.Column("set_at", sa.String(length=32), nullable=False),
        sa.Column("set_offset", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=False),
        sa.Column("set_by", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "weighing",
        sa.Column("row_hash", sa.String(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=4), nullable=False),
        sa.Column("scale_id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("manual_reason", sa.String(length=500), nullable=True),
        sa.Column("confirmed_by", sa.String(length=60), nullable=True),
        sa.Column("raw_frame_hex", sa.String(length=200), nullable=True),
        sa.Column("stability_method", sa.String(length=10), nullable=True),
        sa.Column("tare_method", sa.String(length=10), nullable=True),
        sa.Column("stored_tare_id", sa.Integer(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("captured_at", sa.String(length=32), nullable=False),
        sa.Column("captured_offset", sa.Integer(), nullable=False),
        sa.Column("captured_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.ForeignKeyConstraint(["stored_tare_id"], ["stored_tare.id"]),
        sa.ForeignKeyConstraint(["replaces_id"], ["weighing.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_weighing_load_kind", "weighing", ["load_id", "kind"], unique=False)
    op.create_index("ix_stored_tare_subject", "stored_tare", ["subject_kind", "subject_ref"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_stored_tare_subject", table_name="stored_tare")
    op.drop_index("ix_weighing_load_kind", table_name="weighing")
    op.drop_table("weighing")
    op.drop_table("stored_tare")
