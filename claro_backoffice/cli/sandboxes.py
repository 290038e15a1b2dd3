"""`sandbox create|reset|delete NAME` and `sandbox list`: the gateway's /admin/sandboxes (every system at once)."""

from __future__ import annotations

import argparse
import sys

from claro_backoffice.cli.client import OK, Gateway, connection_options
from claro_backoffice.cli.tables import table


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sandbox",
        help="create, reset, delete or list sandboxes",
        description="Sandboxes are isolated copies of the seeded world, in every system at once.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a sandbox in every system", description="Create a sandbox.")
    create.add_argument("name", metavar="NAME", help="lowercase letters, digits and '-', up to 40")
    create.add_argument("--seed", type=int, help="the world seed (the server's configured one when absent)")
    create.set_defaults(run=_create)
    reset = actions.add_parser(
        "reset", help="restore a sandbox to its seeded state", description="Restore a sandbox in every system."
    )
    reset.add_argument("name", metavar="NAME")
    reset.set_defaults(run=_reset)
    delete = actions.add_parser("delete", help="delete a sandbox (not default)", description="Delete a sandbox.")
    delete.add_argument("name", metavar="NAME")
    delete.set_defaults(run=_delete)
    listing = actions.add_parser("list", help="list the sandboxes", description="List the sandboxes of every system.")
    listing.set_defaults(run=_list)
    for sub in (create, reset, delete, listing):
        connection_options(sub)


def _create(args: argparse.Namespace) -> int:
    body: dict = {"name": args.name} | ({"seed": args.seed} if args.seed is not None else {})
    # X-Sandbox as well as the body: a router with sandbox affinity sends the creation where the sandbox will live.
    answer = Gateway.from_args(args).call("POST", "/admin/sandboxes", json=body, sandbox=args.name)
    seed = f" (seed {answer['seed']})" if answer.get("seed") is not None else ""
    print(f"sandbox {args.name} created{seed}: {_outcomes(answer)}")
    return OK


def _reset(args: argparse.Namespace) -> int:
    answer = Gateway.from_args(args).call("POST", f"/admin/sandboxes/{args.name}/reset")
    print(f"sandbox {args.name} reset: {_outcomes(answer)}")
    return OK


def _delete(args: argparse.Namespace) -> int:
    answer = Gateway.from_args(args).call("DELETE", f"/admin/sandboxes/{args.name}")
    print(f"sandbox {args.name} deleted: {_outcomes(answer)}")
    return OK


def _list(args: argparse.Namespace) -> int:
    answer = Gateway.from_args(args).call("GET", "/admin/sandboxes")
    rows = [
        (s["name"], s.get("seed"), len(s["systems"]), ", ".join(s["missingIn"]) or "-")
        for s in sorted(answer["sandboxes"], key=lambda s: s["name"])
    ]
    print(table(("NAME", "SEED", "SYSTEMS", "MISSING IN"), rows))
    for degraded in answer.get("degraded", []):
        print(f"sandbox list: {degradation(degraded)}", file=sys.stderr)
    return OK


def _outcomes(answer: dict) -> str:
    """`created in 13 systems` or `created in 12, exists in 1 (rr)`: what the fan-out did where."""
    by_outcome: dict[str, list[str]] = {}
    for result in answer.get("results", []):
        by_outcome.setdefault(result["outcome"], []).append(result["system"])
    parts = []
    for outcome, systems in by_outcome.items():
        named = "" if len(by_outcome) == 1 else f" ({', '.join(systems)})"
        parts.append(f"{outcome} in {len(systems)} system{'s' if len(systems) != 1 else ''}{named}")
    return ", ".join(parts) or "no system answered"


def degradation(degraded: dict) -> str:
    """A system the gateway could not read from (the answer's `degraded` entries)."""
    return f"{degraded['system']} could not answer ({degraded['reason']}): {degraded['detail']}"
