"""The wheel's build step beyond pyproject.toml: ship ``resources/`` inside the package.

Everything in ``resources/`` (rule sets, fonts) but the catalog sources is copied into
``inspector/_resources`` and the translation catalogs are compiled there to ``.qm`` (with the ``lrelease`` of
the PySide6 build requirement), so an installed wheel has all the application and the command line need.
An editable install reads ``resources/`` in place.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "inspector" / "_resources"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(HERE / "resources", target, ignore=shutil.ignore_patterns("*.ts", "*.qm"))
        sys.path.insert(0, str(HERE))
        from ui.i18n_compile import compile_translations

        compile_translations(HERE / "resources" / "i18n", out_dir=target / "i18n")


setup(cmdclass={"build_py": BuildPyWithResources})
