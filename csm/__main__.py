"""Command line: python -m csm --help."""

from csm.cli import main

raise SystemExit(main())
