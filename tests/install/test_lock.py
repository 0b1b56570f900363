"""The lock file pins every package the code imports, and the environment is what the lock says."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from tests.install.conftest import REPO

# Our own top-level packages, and modules that are not packages on PyPI.
OURS = {"inspector", "ui", "tests", "bench", "setup"}
SOURCE_DIRS = ("inspector", "ui", "tests", "bench", "packaging")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    return {_normal(p["name"]): p.get("version", "") for p in lock["package"]}


def _imported_top_level_modules() -> dict[str, set[str]]:
    """Every module our code imports (also inside functions and under TYPE_CHECKING), with where."""
    found: dict[str, set[str]] = {}
    for folder in SOURCE_DIRS:
        for path in (REPO / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(REPO)))
    return found


def test_every_imported_package_is_pinned_in_the_lock() -> None:
    locked = _locked()
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for module, where in sorted(_imported_top_level_modules().items()):
        if module in OURS or module in sys.stdlib_module_names:
            continue
        dists = distributions.get(module)
        if not dists:
            missing[module] = f"not installed (imported by {sorted(where)[0]})"
            continue
        if not any(_normal(d) in locked for d in dists):
            missing[module] = f"{dists} not in uv.lock (imported by {sorted(where)[0]})"
    assert missing == {}, "add these to pyproject.toml and run 'uv lock': " + repr(missing)


def test_every_installed_package_is_the_locked_version() -> None:
    """What the tests run against is exactly the lock (scripts/setup.sh installs it with 'uv sync')."""
    locked = _locked()
    wrong = {}
    for dist in importlib.metadata.distributions():
        name = _normal(dist.metadata["Name"])
        if name == "yard-inspector":
            continue
        if name not in locked:
            wrong[name] = f"{dist.version} installed, not in the lock"
        elif locked[name] != dist.version:
            wrong[name] = f"{dist.version} installed, {locked[name]} locked"
    assert wrong == {}


def test_the_lock_holds_hashes_and_the_ranges_of_pyproject() -> None:
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    packages = {_normal(p["name"]): p for p in lock["package"]}
    for requirement in project["dependencies"]:
        name = _normal(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])
        assert name in packages, requirement
        package = packages[name]
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert files and all(f["hash"].startswith("sha256:") for f in files), name
    assert lock["requires-python"] == project["requires-python"]
