"""`scenario list` and `scenario load NAME --sandbox S`: the gateway's /admin/scenarios."""

from __future__ import annotations

import argparse
import json

from claro_backoffice.cli.client import OK, Gateway, connection_options
from claro_backoffice.cli.tables import table


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "scenario",
        help="list or load scenarios",
        description="Scenarios are named cross-system situations (a customer, fixtures in each system, a chat).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser(
        "list", help="list the scenarios that can be loaded", description="List the scenarios that can be loaded."
    )
    listing.set_defaults(run=_list)
    load = actions.add_parser(
        "load",
        help="load a scenario into a sandbox",
        description="Plant a scenario's fixtures in every system of a sandbox; prints its facts as JSON (the "
        "customer, the chat script, the expected handling).",
    )
    load.add_argument("name", metavar="NAME")
    load.add_argument("--sandbox", required=True, help="the sandbox to load it into")
    load.set_defaults(run=_load)
    for sub in (listing, load):
        connection_options(sub)


def _list(args: argparse.Namespace) -> int:
    answer = Gateway.from_args(args).call("GET", "/admin/scenarios")
    rows = [
        (s["name"], s["customer"]["customerId"], "yes" if s["practice"] else "no", s["source"], s["title"])
        for s in answer["scenarios"]
    ]
    print(table(("NAME", "CUSTOMER", "PRACTICE", "SOURCE", "TITLE"), rows))
    return OK


def _load(args: argparse.Namespace) -> int:
    answer = Gateway.from_args(args).call("POST", f"/admin/scenarios/{args.name}", sandbox=args.sandbox, json={})
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return OK
