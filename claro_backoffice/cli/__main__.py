"""`python -m claro_backoffice.cli`: the same as the `claro-backoffice` command."""

import sys

from claro_backoffice.cli import main

if __name__ == "__main__":  # imported as a module (a walk over the package), it does nothing
    sys.exit(main())
