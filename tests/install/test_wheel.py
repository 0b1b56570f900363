"""The package is whole outside the source tree: build the wheel (from the sdist), install it with the
locked dependencies into a new virtual environment, and use it from another folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.standard.helpers import raw_attributes
from tests.install.conftest import REPO, user_env


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = user_env()
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(uv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment holding the built wheel and exactly the locked runtime packages."""
    root = tmp_path_factory.mktemp("wheel")
    _run(uv, "build", "--quiet", "--out-dir", root / "dist", REPO, cwd=root)
    wheels = list((root / "dist").glob("yard_inspector-*.whl"))
    assert len(wheels) == 1 and list((root / "dist").glob("yard_inspector-*.tar.gz"))
    _run(uv, "venv", "--quiet", "--python", sys.executable, root / "venv", cwd=root)
    python = root / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    requirements = root / "requirements.txt"
    _run(uv, "export", "--quiet", "--frozen", "--no-emit-project", "--project", REPO, "-o", requirements,
         cwd=root)
    _run(uv, "pip", "install", "--quiet", "--python", python, "--require-hashes", "-r", requirements,
         cwd=root)
    _run(uv, "pip", "install", "--quiet", "--python", python, "--no-deps", wheels[0], cwd=root)
    return python


def test_the_wheel_carries_its_resources(installed: Path, tmp_path: Path) -> None:
    where = _run(installed, "-c", "from inspector.resources import resources_dir as d; print(d())",
                 cwd=tmp_path)
    resources = Path(where.stdout.strip())
    assert resources.parts[-2:] == ("inspector", "_resources") and "site-packages" in resources.parts
    assert (resources / "standards" / "CN-RE2R-0.1.0.yaml").is_file()
    assert (resources / "fonts" / "wqy-microhei.ttc").is_file()
    assert (resources / "i18n" / "yard_inspector_zh_CN.qm").stat().st_size > 1000  # compiled when built
    assert not list(resources.rglob("*.ts"))
    migrations = _run(installed, "-c", "import inspector.storage.migrations as m, pathlib; "
                      "print(len(list(pathlib.Path(m.__file__).parent.glob('versions/*.py'))))", cwd=tmp_path)
    assert int(migrations.stdout) >= 7


def test_demo_check_classify_and_screenshots_run_from_the_install(installed: Path, tmp_path: Path) -> None:
    command = installed.parent / ("yard-inspector.exe" if os.name == "nt" else "yard-inspector")
    yard = tmp_path / "yard"
    _run(command, "demo", "--data-dir", yard, cwd=tmp_path)
    checked = _run(command, "check", "--json", "--data-dir", yard, cwd=tmp_path)
    assert json.loads(checked.stdout)["problems"] == []
    load = tmp_path / "load.json"
    load.write_text(json.dumps({"category": "NDFEB-SL", "stage": "lab",
                                "attributes": raw_attributes("NDFEB-SL")}), encoding="utf-8")
    classified = json.loads(_run(command, "classify", load, "--data-dir", yard, cwd=tmp_path).stdout)
    assert classified["category"] == "NDFEB-SL" and classified["outcome"]
    shots = _run(command, "screenshots", tmp_path / "shots", "--lang", "zh_CN", cwd=tmp_path)
    assert len(shots.stdout.splitlines()) >= 10
    assert all(Path(line).stat().st_size > 5000 for line in shots.stdout.splitlines())
