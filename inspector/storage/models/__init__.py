"""All tables, one module per area; importing this package registers every table on ``SQLModel.metadata``."""

from inspector.storage.models import (
    certificates,
    classification,
    corrections,
    intake,
    lots,
    security,
    weighing,
)
from inspector.storage.models.audit import AuditEvent
from inspector.storage.models.core import (
    Load,
    NumberSeries,
    Scale,
    Setting,
    Supplier,
    Vehicle,
    Yard,
)

__all__ = [
    "AuditEvent",
    "Load",
    "NumberSeries",
    "Scale",
    "Setting",
    "Supplier",
    "Vehicle",
    "Yard",
    "certificates",
    "classification",
    "corrections",
    "intake",
    "lots",
    "security",
    "weighing",
]
