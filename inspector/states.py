"""The states and kinds records move through: one definition, used by the tables, the services, the read
models and the words each front end shows for them."""

from __future__ import annotations

import enum


class LoadState(enum.StrEnum):
    ARRIVED = "arrived"
    WEIGHED_IN = "weighed_in"
    INSPECTED = "inspected"
    WEIGHED_OUT = "weighed_out"
    AWAITING_LAB = "awaiting_lab"
    CLASSIFIED = "classified"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class LotState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    CERTIFIED = "certified"
    VOID = "void"


class CertificateStatus(enum.StrEnum):
    ISSUED = "issued"
    VOID = "void"


class WeighingKind(enum.StrEnum):
    GROSS = "gross"
    TARE = "tare"


class WeightSource(enum.StrEnum):
    INDICATOR = "INDICATOR"
    MANUAL = "MANUAL"


class TareMethod(enum.StrEnum):
    WEIGHED = "weighed"
    STORED = "stored"
    MANUAL = "manual"


class TareSubject(enum.StrEnum):
    VEHICLE = "vehicle"
    TRAILER = "trailer"
    CONTAINER = "container"
