"""``python -m inspector.cli``: the command line without the GUI."""

from inspector.cli import main

raise SystemExit(main())
