"""lots: lots, lot membership, approvals, held-load decisions, approval packets

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _audited() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("row_hash", sa.String(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "lot",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_no", sa.String(length=16), nullable=False),
        sa.Column("lot_year", sa.Integer(), nullable=False),
        sa.Column("lot_seq", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("contract", sa.String(length=60), nullable=False),
        sa.Column("ruleset_id", sa.String(length=40), nullable=False),
        sa.Column("ruleset_version", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("state_reason", sa.String(length=1000), nullable=True),
        sa.Column("split_from_id", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("created_offset", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.String(length=60), nullable=True),
        sa.Column("submitted_at", sa.String(length=32), nullable=True),
        sa.Column("submitted_offset", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["supplier_id"], ["supplier.id"]),
        sa.ForeignKeyConstraint(["split_from_id"], ["lot.id"]),
        sa.ForeignKeyConstraint(["merged_into_id"], ["lot.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lot_no"),
        sa.UniqueConstraint("lot_year", "lot_seq"),
    )
    with op.batch_alter_table("lot", schema=None) as batch_op:
        batch_op.create_index("ix_lot_state", ["state"], unique=False)
        batch_op.create_index("ix_lot_supplier_id", ["supplier_id"], unique=False)

    op.create_table(
        "lot_load",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("share", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(length=60), nullable=False),
        sa.Column("added_at", sa.String(length=32), nullable=False),
        sa.Column("added_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"]),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lot_id", "load_id"),
    )
    with op.batch_alter_table("lot_load", schema=None) as batch_op:
        batch_op.create_index("ix_lot_load_lot_id", ["lot_id"], unique=False)
        batch_op.create_index("ix_lot_load_load_id", ["load_id"], unique=False)

    op.create_table(
        "approval",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("lot_no", sa.String(length=16), nullable=False),
        sa.Column("version_hash", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("meaning", sa.String(length=500), nullable=False),
        sa.Column("printed_name", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.String(length=60), nullable=False),
        sa.Column("signed_at", sa.String(length=32), nullable=False),
        sa.Column("signed_offset", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("chain_pem", sa.Text(), nullable=False),
        sa.Column("key_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("packet_id", sa.String(length=40), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=1000), nullable=True),
        sa.Column("voided_by", sa.String(length=60), nullable=True),
        sa.Column("voided_at", sa.String(length=32), nullable=True),
        sa.Column("voided_offset", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("approval", schema=None) as batch_op:
        batch_op.create_index("ix_approval_lot", ["lot_id"], unique=False)

    op.create_table(
        "held_load_decision",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=False),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.Column("decided_at", sa.String(length=32), nullable=False),
        sa.Column("decided_offset", sa.Integer(), nullable=False),
        sa.Column("classification_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("held_load_decision", schema=None) as batch_op:
        batch_op.create_index("ix_held_load_decision_load_id", ["load_id"], unique=False)

    op.create_table(
        "lot_packet",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("packet_id", sa.String(length=40), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("version_hash", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("chain_hash", sa.String(length=64), nullable=False),
        sa.Column("exported_by", sa.String(length=60), nullable=False),
        sa.Column("exported_at", sa.String(length=32), nullable=False),
        sa.Column("exported_offset", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"]),
        sa.ForeignKeyConstraint(["approval_id"], ["approval.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("packet_id"),
    )
    with op.batch_alter_table("lot_packet", schema=None) as batch_op:
        batch_op.create_index("ix_lot_packet_lot_id", ["lot_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lot_packet", schema=None) as batch_op:
        batch_op.drop_index("ix_lot_packet_lot_id")
    op.drop_table("lot_packet")
    with op.batch_alter_table("held_load_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_held_load_decision_load_id")
    op.drop_table("held_load_decision")
    with op.batch_alter_table("approval", schema=None) as batch_op:
        batch_op.drop_index("ix_approval_lot")
    op.drop_table("approval")
    with op.batch_alter_table("lot_load", schema=None) as batch_op:
        batch_op.drop_index("ix_lot_load_load_id")
        batch_op.drop_index("ix_lot_load_lot_id")
    op.drop_table("lot_load")
    with op.batch_alter_table("lot", schema=None) as batch_op:
        batch_op.drop_index("ix_lot_supplier_id")
        batch_op.drop_index("ix_lot_state")
    op.drop_table("lot")
