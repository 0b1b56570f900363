"""certificates: the certificate register and its print log

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _audited() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("row_hash", sa.String(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "certificate",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=11), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("lot_no", sa.String(length=16), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("supplier_name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("grade", sa.String(length=4), nullable=False),
        sa.Column("net_mass_kg", sa.String(length=30), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("void_reason", sa.String(length=1000), nullable=True),
        sa.Column("voided_by", sa.String(length=60), nullable=True),
        sa.Column("voided_at", sa.String(length=32), nullable=True),
        sa.Column("voided_offset", sa.Integer(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("qr_text", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.String(length=60), nullable=False),
        sa.Column("issued_at", sa.String(length=32), nullable=False),
        sa.Column("issued_offset", sa.Integer(), nullable=False),
        sa.Column("signer_user", sa.String(length=60), nullable=False),
        sa.Column("signer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("print_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"]),
        sa.ForeignKeyConstraint(["supplier_id"], ["supplier.id"]),
        sa.ForeignKeyConstraint(["approval_id"], ["approval.id"]),
        sa.ForeignKeyConstraint(["replaces_id"], ["certificate.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number", "revision"),
    )
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.create_index("ix_certificate_lot", ["lot_id"], unique=False)
        batch_op.create_index("ix_certificate_status", ["status"], unique=False)
        batch_op.create_index("ix_certificate_issued_at", ["issued_at"], unique=False)
        batch_op.create_index("ix_certificate_supplier_id", ["supplier_id"], unique=False)

    op.create_table(
        "certificate_print",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("marked_copy", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("printed_by", sa.String(length=60), nullable=False),
        sa.Column("printed_at", sa.String(length=32), nullable=False),
        sa.Column("printed_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificate.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("certificate_print", schema=None) as batch_op:
        batch_op.create_index("ix_certificate_print_certificate_id", ["certificate_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("certificate_print", schema=None) as batch_op:
        batch_op.drop_index("ix_certificate_print_certificate_id")
    op.drop_table("certificate_print")
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_index("ix_certificate_supplier_id")
        batch_op.drop_index("ix_certificate_issued_at")
        batch_op.drop_index("ix_certificate_status")
        batch_op.drop_index("ix_certificate_lot")
    op.drop_table("certificate")
