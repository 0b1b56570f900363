"""IP cameras over the weighbridge: a JPEG snapshot by HTTP, the way weighbridge cameras are wired.

A yard names its cameras in a setting (``intake.cameras``: name and snapshot URL, e.g. an AXIS
``http://192.168.1.64/axis-cgi/jpg/image.cgi``); the inspector takes a photo from each at a step, and the
photo is stored like any other, by its SHA-256. Credentials may be given in the URL
(``http://user:password@host/...``) and are sent as HTTP basic authentication, never stored in a record.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from inspector.clock import Clock
from inspector.errors import EnvironmentProblemError, UserError
from inspector.messages import formats
from inspector.security.actor import Actor, Role, require_role
from inspector.security.audit import record_event
from inspector.storage.models.core import Setting

SETTING_KEY = "intake.cameras"
SNAPSHOT_TIMEOUT_S = 4.0
SNAPSHOT_MAX_MB = 20
SNAPSHOT_MAX_BYTES = SNAPSHOT_MAX_MB * 1024 * 1024
NAME_LENGTH = (1, 40)
IMAGE_TYPES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}


@dataclass(frozen=True)
class Camera:
    name: str
    url: str

    @property
    def shown_url(self) -> str:
        """The URL without its password, for screens, logs and the audit trail."""
        return redact(self.url)


def redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, f"{parts.username}:***@{host}", parts.path, parts.query,
                                    parts.fragment))


def cameras(session: Session) -> list[Camera]:
    row = session.get(Setting, SETTING_KEY)
    value: Any = row.value if row is not None else []
    return [Camera(str(c["name"]), str(c["url"])) for c in value or [] if isinstance(c, dict)]


def check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError("camera.url_invalid", field="url", url=redact(url))
    return url.strip()


def set_camera(session: Session, *, actor: Actor, clock: Clock, name: str, url: str) -> Camera:
    """Add a camera, or change the URL of the one with this name (audited without its password)."""
    require_role(actor, (Role.ADMIN, Role.SUPERVISOR), action="configure the cameras")
    name = name.strip()
    shortest, longest = NAME_LENGTH
    if not shortest <= len(name) <= longest:
        raise UserError("camera.name_length", field="name", minimum=shortest, maximum=longest)
    camera = Camera(name, check_url(url))
    existing = cameras(session)
    old = next((c for c in existing if c.name == name), None)
    kept = [c for c in existing if c.name != name] + [camera]
    _store(session, kept)
    record_event(session, actor=actor, action="camera.set", entity="setting", entity_id=SETTING_KEY,
                 clock=clock, old={"name": name, "url": old.shown_url} if old else None,
                 new={"name": name, "url": camera.shown_url})
    return camera


def remove_camera(session: Session, *, actor: Actor, clock: Clock, name: str) -> None:
    require_role(actor, (Role.ADMIN, Role.SUPERVISOR), action="configure the cameras")
    existing = cameras(session)
    old = next((c for c in existing if c.name == name), None)
    if old is None:
        raise UserError("camera.unknown", field="name", name=name)
    _store(session, [c for c in existing if c.name != name])
    record_event(session, actor=actor, action="camera.remove", entity="setting", entity_id=SETTING_KEY,
                 clock=clock, old={"name": name, "url": old.shown_url}, new=None)


def _store(session: Session, items: list[Camera]) -> None:
    row = session.get(Setting, SETTING_KEY) or Setting(key=SETTING_KEY)
    row.value = [{"name": c.name, "url": c.url} for c in items]
    session.add(row)
    session.flush()


def fetch_snapshot(camera: Camera, *, timeout: float = SNAPSHOT_TIMEOUT_S) -> bytes:
    """One still image from the camera (JPEG or PNG), or an error saying what to check."""
    parts = urllib.parse.urlsplit(camera.url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    plain = urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, ""))
    request = urllib.request.Request(plain, headers={"User-Agent": "yard-inspector"})
    if parts.username is not None:
        token = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        request.add_header("Authorization", "Basic " + base64.b64encode(token.encode()).decode())
    where = {"camera": camera.name, "url": camera.shown_url}
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(SNAPSHOT_MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()  # the error carries the open response
        code = "camera.credentials_refused" if exc.code in (401, 403) else "camera.http_error"
        raise EnvironmentProblemError(code, status=exc.code, reason=str(exc.reason), **where) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EnvironmentProblemError("camera.unreachable", detail=str(reason), **where) from exc
    if len(data) > SNAPSHOT_MAX_BYTES:
        raise EnvironmentProblemError("camera.too_large", limit=formats.number(SNAPSHOT_MAX_MB), **where)
    if not any(data.startswith(signature) for signature in IMAGE_TYPES):
        raise EnvironmentProblemError("camera.not_image", **where)
    return data
