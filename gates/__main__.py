"""Allow `python -m gates`."""

from gates.cli import main

raise SystemExit(main())
