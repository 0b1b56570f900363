"""Password hashing with Argon2id at OWASP's minimum (m=19 MiB, t=2, p=1), stored as PHC strings."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from inspector.errors import UserError

TIME_COST = 2
MEMORY_COST_KIB = 19456
PARALLELISM = 1
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200

_hasher = PasswordHasher(
    time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM, type=Type.ID
)


def check_password_policy(password: str, *, field: str = "password", username: str | None = None) -> None:
    """Refuse passwords too short, too long, or equal to the user id."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password.too_short", field=field, minimum=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError("password.too_long", field=field, maximum=MAX_PASSWORD_LENGTH)
    if username and password.strip().lower() == username.strip().lower():
        raise UserError("password.is_user_id", field=field)


def hash_password(password: str) -> str:
    """The Argon2id PHC string of ``password`` (about 150 ms: never call it in a loop)."""
    return str(_hasher.hash(password))


def verify_password(phc: str, password: str) -> bool:
    """Whether ``password`` matches; a damaged hash counts as a mismatch, never as an exception."""
    try:
        return bool(_hasher.verify(phc, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(phc: str) -> bool:
    """Whether the stored hash was made with weaker parameters than today's (rehash at the next login)."""
    try:
        return bool(_hasher.check_needs_rehash(phc))
    except (InvalidHashError, ValueError):
        return True
