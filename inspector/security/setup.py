"""Setting up a yard's security: the first administrator and the yard CA at ``init``; demo accounts.

There are no default passwords: ``init`` asks for the administrator's password and the CA passphrase. The
demo yard's accounts and passphrases are published (README) and are for training only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from inspector.clock import Clock
from inspector.datadir import DataDir
from inspector.errors import ConflictError
from inspector.security import keys, users
from inspector.security.actor import SYSTEM, Role
from inspector.storage.models.security import SigningKey


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    roles: tuple[str, ...]
    password: str
    key_passphrase: str | None = None


DEMO_CA_PASSPHRASE = "demo-yard-ca-passphrase"
DEMO_ACCOUNTS = (
    DemoAccount("admin", "管理员 Administrator", ("admin",), "demo-admin-2026"),
    DemoAccount("li.wei", "李伟 Li Wei", ("inspector",), "demo-li.wei-2026"),
    DemoAccount("wang.lei", "王磊 Wang Lei", ("inspector",), "demo-wang.lei-2026"),
    DemoAccount("zhang.min", "张敏 Zhang Min", ("supervisor",), "demo-zhang.min-2026",
                key_passphrase="demo-zhang.min-key"),
    DemoAccount("zhao.hui", "赵辉 Zhao Hui", ("supervisor",), "demo-zhao.hui-2026",
                key_passphrase="demo-zhao.hui-key"),
    DemoAccount("chen.jing", "陈静 Chen Jing", ("clerk",), "demo-chen.jing-2026"),
)


def init_security(
    session: Session, *, admin_user: str, admin_name: str, password: str, ca_passphrase: str,
    data_dir: DataDir, clock: Clock, yard_name: str = "",
) -> SigningKey:
    """Create the first administrator (with the password they chose) and the yard CA; returns the CA."""
    if users.has_users(session):
        raise ConflictError("user.already_set_up")
    keys.check_passphrase_policy(ca_passphrase, field="ca_passphrase")
    view = users.create_user(session, actor=SYSTEM, clock=clock, username=admin_user, display_name=admin_name,
                             roles=[Role.ADMIN], password=password, must_change_password=False)
    admin = users.get_user(session, view.username)
    assert admin is not None
    common_name = f"{yard_name.strip()} Yard Inspector CA" if yard_name.strip() else "Yard Inspector yard CA"
    return keys.create_yard_ca(session, actor=users.actor_for(admin), clock=clock, data_dir=data_dir,
                               passphrase=ca_passphrase, common_name=common_name[:64],
                               organisation=yard_name[:64])


def seed_demo_accounts(
    session: Session, *, data_dir: DataDir, clock: Clock, ca_passphrase: str = DEMO_CA_PASSPHRASE
) -> list[DemoAccount]:
    """The demo yard's documented accounts (and the supervisors' keys); existing ones are left alone.

    Creates the administrator and the CA first when the yard has none.
    """
    admin_spec = DEMO_ACCOUNTS[0]
    if users.get_user(session, admin_spec.username) is None and not users.has_users(session):
        init_security(session, admin_user=admin_spec.username, admin_name=admin_spec.display_name,
                      password=admin_spec.password, ca_passphrase=ca_passphrase, data_dir=data_dir,
                      clock=clock, yard_name="Demo yard")
    created: list[DemoAccount] = []
    for spec in DEMO_ACCOUNTS:
        if users.get_user(session, spec.username) is not None:
            continue
        users.create_user(session, actor=SYSTEM, clock=clock, username=spec.username,
                          display_name=spec.display_name, roles=spec.roles, password=spec.password,
                          must_change_password=False)
        created.append(spec)
    for spec in DEMO_ACCOUNTS:
        if spec.key_passphrase and keys.active_personal_key(session, spec.username) is None:
            keys.issue_personal_key(session, actor=SYSTEM, clock=clock, data_dir=data_dir,
                                    username=spec.username, ca_passphrase=ca_passphrase,
                                    key_passphrase=spec.key_passphrase)
    return created
