"""intake: submitted steps, progress, drafts, samples, photos and lab reports

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _audited() -> list[sa.Column[object]]:
    return [
        sa.Column("row_hash", sa.String(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "intake_step",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("alerts", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.String(length=60), nullable=False),
        sa.Column("submitted_at", sa.String(length=32), nullable=False),
        sa.Column("submitted_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("load_id", "step", "seq"),
    )
    with op.batch_alter_table("intake_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_step_load_id"), ["load_id"], unique=False)

    op.create_table(
        "intake_progress",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("next_step", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("updated_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("load_id"),
    )
    with op.batch_alter_table("intake_progress", schema=None) as batch_op:
        batch_op.create_index("ix_intake_progress_next_step", ["next_step"], unique=False)

    op.create_table(
        "intake_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_key", sa.String(length=80), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=True),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(length=60), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("updated_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("draft_key"),
    )
    with op.batch_alter_table("intake_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_draft_load_id"), ["load_id"], unique=False)

    op.create_table(
        "load_sample",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.String(length=20), nullable=False),
        sa.Column("increments", sa.Integer(), nullable=False),
        sa.Column("composite", sa.Boolean(), nullable=False),
        sa.Column("seal_yard", sa.String(length=20), nullable=False),
        sa.Column("seal_supplier", sa.String(length=20), nullable=False),
        sa.Column("seal_arbitration", sa.String(length=20), nullable=False),
        sa.Column("retain_until", sa.String(length=32), nullable=False),
        sa.Column("taken_by", sa.String(length=60), nullable=False),
        sa.Column("taken_at", sa.String(length=32), nullable=False),
        sa.Column("taken_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("load_sample", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_load_sample_load_id"), ["load_id"], unique=False)

    op.create_table(
        "load_photo",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("suffix", sa.String(length=10), nullable=False),
        sa.Column("original_name", sa.String(length=260), nullable=False),
        sa.Column("added_by", sa.String(length=60), nullable=False),
        sa.Column("added_at", sa.String(length=32), nullable=False),
        sa.Column("added_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("load_id", "sha256"),
    )
    with op.batch_alter_table("load_photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_load_photo_load_id"), ["load_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_load_photo_sha256"), ["sha256"], unique=False)

    op.create_table(
        "lab_report",
        *_audited(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("lab", sa.String(length=200), nullable=False),
        sa.Column("report_number", sa.String(length=60), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("basis", sa.String(length=40), nullable=False),
        sa.Column("values", sa.Text(), nullable=False),
        sa.Column("classification_seq", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=60), nullable=False),
        sa.Column("entered_at", sa.String(length=32), nullable=False),
        sa.Column("entered_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["load.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("load_id", "seq"),
    )
    with op.batch_alter_table("lab_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lab_report_load_id"), ["load_id"], unique=False)


def downgrade() -> None:
    tables = ("lab_report", "load_photo", "load_sample", "intake_draft", "intake_progress", "intake_step")
    for table in tables:
        op.drop_table(table)
