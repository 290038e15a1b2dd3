"""`python -m claro_backoffice.cli`: the same as the `claro-backoffice` command."""

import sys

from claro_backoffice.cli import main

sys.exit(main())
