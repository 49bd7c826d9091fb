"""`python -m crm_desktop` runs the command line (and, with no command, the app)."""

from crm_desktop.cli import main

raise SystemExit(main())
