"""Entry script of the bundled application (PyInstaller runs this file)."""

from ui.entry import main

raise SystemExit(main())
