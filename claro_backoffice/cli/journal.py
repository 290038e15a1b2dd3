"""`journal SYSTEM`: what a system was asked in a sandbox and what it answered, newest first (the gateway's
/admin/journal), with document and phone numbers masked as the gateway's logs mask them."""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import sys
from typing import Any

from claro_backoffice.cli.client import FAILED, OK, Gateway, connection_options
from claro_backoffice.cli.sandboxes import degradation
from claro_backoffice.cli.tables import table
from claro_backoffice.core.systems import SYSTEMS
from claro_backoffice.gateway.logmask import mask_text

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
MOST = 1000  # the gateway's largest page; each system keeps fewer entries per sandbox (MOCK_JOURNAL_LIMIT)


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "journal",
        help="what a system was asked, newest first",
        description="What a system was asked in a sandbox and what it answered, newest first. Document and phone "
        "numbers are masked (all but their last two digits).",
    )
    parser.add_argument("system", metavar="SYSTEM", choices=SYSTEMS, help=f"one of: {', '.join(SYSTEMS)}")
    parser.add_argument("--sandbox", help="the sandbox (default: default)")
    parser.add_argument("--method", type=str.upper, choices=METHODS, help="only this HTTP method")
    parser.add_argument(
        "--path", metavar="GLOB", help="only paths matching this glob ('*' spans '/': /accounts/*/markings)"
    )
    parser.add_argument("--limit", type=_limit, default=20, help="at most this many entries (1-1000, default 20)")
    parser.add_argument("--json", action="store_true", help="the entries as a JSON array, bodies included")
    connection_options(parser)
    parser.set_defaults(run=_journal)


def _limit(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MOST:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MOST}, not {value}")
    return value


def _journal(args: argparse.Namespace) -> int:
    params: dict[str, Any] = {"system": args.system, "limit": args.limit}
    if args.method:
        params["method"] = args.method
    if args.path:
        # The gateway filters by a path prefix: ask for the glob's literal start, match the glob here.
        params["path"] = re.split(r"[*?\[]", args.path, maxsplit=1)[0] or "/"
        params["limit"] = MOST
    answer = Gateway.from_args(args).call("GET", "/admin/journal", sandbox=args.sandbox, params=params)
    entries = [e for e in answer["entries"] if not args.path or fnmatch.fnmatchcase(e["path"], args.path)]
    entries = [masked(e) for e in entries[: args.limit]]
    if args.json:
        print(json.dumps(entries, indent=2, ensure_ascii=False))
    else:
        rows = [
            (e["at"], e["method"], e["path"] + (f"?{e['query']}" if e["query"] else ""), e["status"], e["durationMs"])
            for e in entries
        ]
        print(table(("AT", "METHOD", "PATH", "STATUS", "MS"), rows))
    for degraded in answer["degraded"]:
        print(f"journal: {degradation(degraded)}", file=sys.stderr)
    return FAILED if answer["degraded"] else OK


def masked(value: Any) -> Any:
    """Every string in an entry (path, query, bodies) masked; numbers and the rest as they are."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value
