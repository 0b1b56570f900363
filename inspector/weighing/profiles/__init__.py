"""The indicator protocols Yard Inspector reads, by the name a scale's settings use."""

from __future__ import annotations

from inspector.errors import UserError
from inspector.weighing.profiles.base import (
    Decoder,
    HealthSnapshot,
    Indication,
    LinkHealth,
    Profile,
    SerialDefaults,
)
from inspector.weighing.profiles.generic_st_gs import GENERIC_ST_GS
from inspector.weighing.profiles.mt_sics import MT_SICS
from inspector.weighing.profiles.rice_lake import RICE_LAKE
from inspector.weighing.profiles.sma import SMA
from inspector.weighing.profiles.toledo import (
    TOLEDO_CLONE_SWC_UNIT,
    TOLEDO_CONTINUOUS,
    TOLEDO_CONTINUOUS_NO_CHECKSUM,
)
from inspector.weighing.profiles.xk3190 import XK3190_A9

PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        TOLEDO_CONTINUOUS,
        TOLEDO_CONTINUOUS_NO_CHECKSUM,
        TOLEDO_CLONE_SWC_UNIT,
        MT_SICS,
        SMA,
        RICE_LAKE,
        GENERIC_ST_GS,
        XK3190_A9,
    )
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise UserError("scale.profile_unknown", field="profile", profile=name,
                        choices=list(PROFILES)) from None


__all__ = [
    "PROFILES",
    "Decoder",
    "HealthSnapshot",
    "Indication",
    "LinkHealth",
    "Profile",
    "SerialDefaults",
    "get_profile",
]
