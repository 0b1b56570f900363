"""photo stamps: the stamped copy of each capture photo, beside the original

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A table of its own rather than columns on load_photo: the photos already stored keep the content
    # their row hashes were taken over.
    op.create_table(
        "load_photo_stamp",
        sa.Column("row_hash", sa.String(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("suffix", sa.String(length=10), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("stamped_at", sa.String(length=32), nullable=False),
        sa.Column("stamped_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.ForeignKeyConstraint(["photo_id"], ["load_photo.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("photo_id"),
    )
    with op.batch_alter_table("load_photo_stamp", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_load_photo_stamp_load_id"), ["load_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("load_photo_stamp", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_load_photo_stamp_load_id"))
    op.drop_table("load_photo_stamp")
