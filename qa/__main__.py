"""`python -m qa` runs the qa command."""

from .cli import main

raise SystemExit(main())
