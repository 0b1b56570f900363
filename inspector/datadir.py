"""The data directory: the database, certificates, backups, keys, photos and logs of one yard station.

Chosen by ``--data-dir``, else ``YARD_INSPECTOR_HOME``, else the platform's user data folder. SQLite in WAL
mode needs every connection on one host, so a folder on a network file system is refused.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from inspector.errors import EnvironmentProblemError

ENV_VAR = "YARD_INSPECTOR_HOME"
APP_NAME = "yard-inspector"
LAPTOP_PROFILE = "laptop.json"

# File-system types on which SQLite's WAL locking is not safe (Linux /proc/mounts names).
NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "fuse.sshfs",
        "fuse.davfs2",
        "fuse.rclone",
        "fuse.s3fs",
    }
)


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "yard.db"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def certificates(self) -> Path:
        return self.root / "certificates"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def photos(self) -> Path:
        return self.root / "photos"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def packets(self) -> Path:
        return self.root / "packets"

    @property
    def laptop_profile(self) -> Path:
        """The profile that marks a supervisor's laptop (``inspector.lots.bundle``): no yard lives here."""
        return self.root / LAPTOP_PROFILE

    @property
    def is_laptop(self) -> bool:
        return self.laptop_profile.is_file()

    @property
    def is_empty(self) -> bool:
        """Neither a yard's database nor a laptop's profile: nothing was set up here yet."""
        return not self.database.exists() and not self.is_laptop

    def ensure(self) -> DataDir:
        """Create the folders, refusing a network file system or a folder that cannot be written."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EnvironmentProblemError(
                "datadir.cannot_create", path=str(self.root), detail=str(exc.strerror or exc)
            ) from exc
        fs = filesystem_type(self.root)
        if fs in NETWORK_FS_TYPES:
            raise EnvironmentProblemError("datadir.network_fs", path=str(self.root), fs=fs)
        if _is_windows_network_path(self.root):
            raise EnvironmentProblemError("datadir.network_share", path=str(self.root))
        for sub in (self.backups, self.certificates, self.keys, self.photos, self.logs, self.packets):
            try:
                sub.mkdir(exist_ok=True)
            except OSError as exc:
                raise EnvironmentProblemError(
                    "datadir.cannot_create_folder", path=str(sub), detail=str(exc.strerror or exc)
                ) from exc
        if not os.access(self.root, os.W_OK):
            raise EnvironmentProblemError("datadir.read_only", path=str(self.root))
        return self


def default_root() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def resolve(explicit: str | os.PathLike[str] | None = None) -> DataDir:
    """The data directory named on the command line, in the environment, or the platform default."""
    if explicit:
        return DataDir(Path(explicit).expanduser().resolve())
    env = os.environ.get(ENV_VAR)
    if env:
        return DataDir(Path(env).expanduser().resolve())
    return DataDir(default_root())


def filesystem_type(path: Path) -> str | None:
    """The type of the file system holding ``path`` (Linux: from /proc/mounts), or None if unknown."""
    mounts = Path("/proc/mounts")
    if not mounts.exists():
        return None
    target = str(path.resolve())
    best, best_type = "", None
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def _is_windows_network_path(path: Path) -> bool:
    if sys.platform != "win32":
        return False
    text = str(path)
    if text.startswith("\\\\"):
        return True
    import ctypes

    drive_remote = 4
    drive = os.path.splitdrive(text)[0] + "\\"
    return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == drive_remote)
