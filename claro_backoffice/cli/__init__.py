"""The console command `claro-backoffice`: serve the back office, wait for it, and drive a running one (sandboxes,
scenarios, journal, contract run) through the gateway's admin API.

Exit codes a pipeline can use: 0 done, 1 the operation failed (the server's problem printed), 2 a usage error,
3 the server could not be reached.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from claro_backoffice.cli import contract, journal, sandboxes, scenarios, serving
from claro_backoffice.cli.client import FAILED, UNREACHABLE, USAGE, Failed, Unreachable


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="claro-backoffice",
        description="Claro Colombia's WhatsApp Premium back office, simulated: serve it, and drive a running one.",
        epilog="Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 the server could not be reached.",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (serving, sandboxes, scenarios, contract, journal):
        module.add(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2): argparse has printed why
        return exc.code if isinstance(exc.code, int) else USAGE
    try:
        return args.run(args)
    except Unreachable as exc:
        print(f"claro-backoffice {args.command}: {exc}", file=sys.stderr)
        return UNREACHABLE
    except Failed as exc:
        print(f"claro-backoffice {args.command}: {exc}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:  # Ctrl-C: stopped by the user, not a crash (a contract run cleans up on the way out)
        print(f"claro-backoffice {args.command}: interrupted", file=sys.stderr)
        return FAILED
