"""classification: classification records (append-only) and the rule set versions a yard has used

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# A classification is never changed or removed: re-classifying adds a record. The one update allowed is
# the audit bookkeeping written right after the insert (row_hash and audit_seq, while row_hash is unset).
CLASSIFICATION_TRIGGERS = (
    """CREATE TRIGGER classification_no_update BEFORE UPDATE ON classification
       WHEN OLD.row_hash IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'classification is append-only: records cannot be changed'); END""",
    """CREATE TRIGGER classification_no_delete BEFORE DELETE ON classification
       BEGIN SELECT RAISE(ABORT, 'classification is append-only: records cannot be deleted'); END""",
    """CREATE TRIGGER ruleset_published_no_update BEFORE UPDATE ON ruleset_published
       BEGIN SELECT RAISE(ABORT, 'a published rule set version never changes'); END""",
)

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "classification",
        sa.Column("row_hash", sa.String(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("ruleset_id", sa.String(length=40), nullable=False),
        sa.Column("ruleset_version", sa.String(length=20), nullable=False),
        sa.Column("ruleset_sha256", sa.String(length=64), nullable=False),
        sa.Column("ruleset_status", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("grade", sa.String(length=2), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.Column("derived", sa.Text(), nullable=False),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.Column("permit_codes", sa.Text(), nullable=False),
        sa.Column("classified_by", sa.String(length=60), nullable=False),
        sa.Column("classified_at", sa.String(length=32), nullable=False),
        sa.Column("classified_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("load_id", "seq"),
    )
    with op.batch_alter_table("classification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_classification_load_id"), ["load_id"], unique=False)

    op.create_table(
        "ruleset_published",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ruleset_id", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("first_seen_at", sa.String(length=32), nullable=False),
        sa.Column("first_seen_offset", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ruleset_id", "version"),
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in CLASSIFICATION_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ruleset_published_no_update")
        op.execute("DROP TRIGGER IF EXISTS classification_no_delete")
        op.execute("DROP TRIGGER IF EXISTS classification_no_update")
    op.drop_table("ruleset_published")
    with op.batch_alter_table("classification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_classification_load_id"))
    op.drop_table("classification")
