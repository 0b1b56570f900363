"""IP camera snapshots: fetched over HTTP (a camera served on loopback), stored by hash, errors in words."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from inspector.clock import FixedClock
from inspector.datadir import DataDir
from inspector.errors import EnvironmentProblemError, PermissionDeniedError, UserError
from inspector.intake.camera import Camera, cameras, fetch_snapshot, redact, remove_camera, set_camera
from inspector.security.actor import Actor, Role
from inspector.storage.db import Store

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + bytes(200) + b"\xff\xd9"
ADMIN = Actor("admin", "Admin", frozenset({Role.ADMIN}))
INSPECTOR = Actor("li.wei", "Li Wei", frozenset({Role.INSPECTOR}))


class _Camera(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/snapshot.jpg":
            body, kind = JPEG, "image/jpeg"
        elif self.path == "/secure.jpg":
            expected = "Basic " + base64.b64encode(b"op:s3cret").decode()
            if self.headers.get("Authorization") != expected:
                self.send_error(401, "Unauthorized")
                return
            body, kind = JPEG, "image/jpeg"
        elif self.path == "/page":
            body, kind = b"<html>camera home</html>", "text/html"
        else:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def camera_host() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Camera)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_snapshot_is_fetched_and_must_be_an_image(camera_host: str) -> None:
    assert fetch_snapshot(Camera("gate", f"http://{camera_host}/snapshot.jpg")) == JPEG
    assert fetch_snapshot(Camera("gate", f"http://op:s3cret@{camera_host}/secure.jpg")) == JPEG
    with pytest.raises(EnvironmentProblemError, match="HTTP 401") as info:
        fetch_snapshot(Camera("gate", f"http://op:wrong@{camera_host}/secure.jpg"))
    assert info.value.code == "camera.credentials_refused" and info.value.params["status"] == 401
    assert "wrong" not in str(info.value) and "user name and password" in str(info.value)
    assert "wrong" not in info.value.words("zh_CN") and info.value.words("zh_CN") == (
        f"摄像头“gate”（http://op:***@{camera_host}/secure.jpg）返回 HTTP 401 Unauthorized。"
        "请检查摄像头地址中的用户名和密码。"
    )
    with pytest.raises(EnvironmentProblemError, match="HTTP 404") as info:
        fetch_snapshot(Camera("gate", f"http://{camera_host}/nothing"))
    assert info.value.code == "camera.http_error" and "snapshot path" in str(info.value)
    with pytest.raises(EnvironmentProblemError, match="did not send a JPEG or PNG") as info:
        fetch_snapshot(Camera("gate", f"http://{camera_host}/page"))
    assert info.value.code == "camera.not_image"


def test_an_unreachable_camera_is_said_in_words() -> None:
    # Port 9 on loopback (discard) has no listener here: the connection is refused at once.
    with pytest.raises(EnvironmentProblemError, match="could not be reached") as info:
        fetch_snapshot(Camera("gate", "http://127.0.0.1:9/snapshot.jpg"), timeout=2)
    assert info.value.code == "camera.unreachable"
    assert info.value.words("zh_CN").startswith("无法连接摄像头“gate”（http://127.0.0.1:9/snapshot.jpg）：")


def test_cameras_are_configured_by_supervisors_and_audited_without_passwords(store: Store,
                                                                             clock: FixedClock) -> None:
    from sqlmodel import select

    from inspector.storage.models.audit import AuditEvent

    with pytest.raises(PermissionDeniedError), store.session() as s:
        set_camera(s, actor=INSPECTOR, clock=clock, name="gate", url="http://10.0.0.5/snap.jpg")
    with pytest.raises(UserError, match="snapshot address") as info, store.session() as s:
        set_camera(s, actor=ADMIN, clock=clock, name="gate", url="rtsp://op:s3cret@10.0.0.5/stream")
    assert (info.value.code, info.value.field) == ("camera.url_invalid", "url")
    assert "s3cret" not in info.value.words("zh_CN") and "s3cret" not in str(info.value.to_json())
    with pytest.raises(UserError) as info, store.session() as s:
        set_camera(s, actor=ADMIN, clock=clock, name=" ", url="http://10.0.0.5/snap.jpg")
    assert (info.value.code, info.value.field) == ("camera.name_length", "name")
    assert info.value.words("zh_CN").startswith("摄像头名称应为 1 至 40 个字符。")
    with store.session() as s:
        set_camera(s, actor=ADMIN, clock=clock, name="gate", url="http://op:s3cret@10.0.0.5/snap.jpg")
        set_camera(s, actor=ADMIN, clock=clock, name="deck", url="http://10.0.0.6/snap.jpg")
    with store.session() as s:
        assert [c.name for c in cameras(s)] == ["gate", "deck"]
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "camera.set")).all()
        assert events and all("s3cret" not in str(e.new) for e in events)
        remove_camera(s, actor=ADMIN, clock=clock, name="deck")
        with pytest.raises(UserError) as info:
            remove_camera(s, actor=ADMIN, clock=clock, name="deck")
        assert (info.value.code, info.value.field, info.value.params) == ("camera.unknown", "name",
                                                                          {"name": "deck"})
    with store.session() as s:
        assert [c.name for c in cameras(s)] == ["gate"]
    assert redact("http://op:s3cret@10.0.0.5:8080/snap.jpg") == "http://op:***@10.0.0.5:8080/snap.jpg"


def test_the_cameras_command_speaks_the_users_language(store: Store, data_dir: DataDir, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from inspector.cli import main

    home = ["--data-dir", str(data_dir.root)]
    assert main(["cameras", "list", *home, "--lang", "zh_CN"]) == 0
    assert capsys.readouterr().out == "尚未设置摄像头。\n"
    assert main(["cameras", "list", *home, "--lang", "en"]) == 0
    assert capsys.readouterr().out == "No cameras are configured.\n"
    out = str(tmp_path / "x.jpg")
    assert main(["cameras", "snapshot", "gate", "--out", out, *home, "--lang", "zh_CN"]) == 2
    err = capsys.readouterr().err
    assert err == ("yard-inspector：错误（name）：没有名为“gate”的摄像头。"
                   "请在摄像头列表中核对名称（yard-inspector cameras list）。\n")
    assert main(["cameras", "snapshot", "gate", "--out", out, *home, "--lang", "en"]) == 2
    assert "error: name: There is no camera named 'gate'." in capsys.readouterr().err


def test_a_snapshot_is_written_and_said(store: Store, clock: FixedClock, data_dir: DataDir, tmp_path: Path,
                                        camera_host: str, capsys: pytest.CaptureFixture[str]) -> None:
    from inspector.cli import main

    with store.session() as s:
        set_camera(s, actor=ADMIN, clock=clock, name="gate", url=f"http://op:s3cret@{camera_host}/secure.jpg")
    out = tmp_path / "gate.jpg"
    home = ["--data-dir", str(data_dir.root)]
    assert main(["cameras", "snapshot", "gate", "--out", str(out), *home, "--lang", "zh_CN"]) == 0
    assert out.read_bytes() == JPEG
    assert capsys.readouterr().out == f"已将摄像头“gate”的图像（{len(JPEG)} 字节）写入 {out}。\n"
    assert main(["cameras", "list", *home, "--lang", "zh_CN"]) == 0
    assert capsys.readouterr().out == f"gate\thttp://op:***@{camera_host}/secure.jpg\n"
