"""foundation: yard, scales, settings, suppliers, vehicles, loads, audit trail

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# The audit trail is append-only: the database itself refuses to change or remove an event.
AUDIT_TRIGGERS = (
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: events cannot be changed'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: events cannot be deleted'); END""",
)


revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("offset_minutes", sa.Integer(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("hash"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_entity"), ["entity"], unique=False)

    op.create_table(
        "numberseries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("series", "year"),
    )
    op.create_table(
        "scale",
        sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scale_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("profile", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("port", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("baud", sa.Integer(), nullable=False),
        sa.Column("bytesize", sa.Integer(), nullable=False),
        sa.Column("parity", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
        sa.Column("stopbits", sa.Integer(), nullable=False),
        sa.Column("division", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scale_id"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "supplier",
        sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("created_offset", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uscc"),
    )
    with op.batch_alter_table("supplier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplier_name"), ["name"], unique=False)

    op.create_table(
        "yard",
        sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("legal_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("legal_name_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("permit_numbers", sa.Text(), nullable=False),
        sa.Column("hw_permit_codes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("created_offset", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "vehicle",
        sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plate", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plate"),
    )
    op.create_table(
        "load",
        sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_no", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("ticket_year", sa.Integer(), nullable=False),
        sa.Column("ticket_seq", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("plate", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("driver", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("generating_enterprise", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("declared_category", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("assigned_category", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("arrived_at", sa.String(length=32), nullable=False),
        sa.Column("arrived_offset", sa.Integer(), nullable=False),
        sa.Column("departed_at", sa.String(length=32), nullable=True),
        sa.Column("departed_offset", sa.Integer(), nullable=True),
        sa.Column("weight_unit", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("gross", sa.Integer(), nullable=True),
        sa.Column("tare", sa.Integer(), nullable=True),
        sa.Column("net", sa.Integer(), nullable=True),
        sa.Column("manual_weight", sa.Boolean(), nullable=False),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("grade", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("classification_status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicle.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_no"),
        sa.UniqueConstraint("ticket_year", "ticket_seq"),
    )
    with op.batch_alter_table("load", schema=None) as batch_op:
        batch_op.create_index("ix_load_arrived_at", ["arrived_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_load_plate"), ["plate"], unique=False)
        batch_op.create_index("ix_load_state", ["state"], unique=False)
        batch_op.create_index("ix_load_state_arrived_at", ["state", "arrived_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_load_supplier_id"), ["supplier_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        for statement in AUDIT_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    with op.batch_alter_table("load", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_load_supplier_id"))
        batch_op.drop_index("ix_load_state_arrived_at")
        batch_op.drop_index("ix_load_state")
        batch_op.drop_index(batch_op.f("ix_load_plate"))
        batch_op.drop_index("ix_load_arrived_at")

    op.drop_table("load")
    op.drop_table("vehicle")
    op.drop_table("yard")
    with op.batch_alter_table("supplier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_name"))

    op.drop_table("supplier")
    op.drop_table("setting")
    op.drop_table("scale")
    op.drop_table("numberseries")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_entity"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
