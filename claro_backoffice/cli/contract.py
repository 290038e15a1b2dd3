"""`contract`: schemathesis against a running server's gateway, in a sandbox of its own with an admin token pinned
to it, so the run's resets, faults, clock changes and deletions cannot reach any other sandbox.

Without --sandbox it creates `contract-<random>`, and deletes it at the end; with --sandbox it uses (and creates
when missing) that one and keeps it. Either way the pinned token it issued is revoked at the end. schemathesis is
the `[contract]` extra and runs as its own command (its report is what the user reads), with contract.toml: the
repository's schemathesis.toml, package data here so an installed package carries it.
"""

from __future__ import annotations

import argparse
import importlib.resources
import secrets
import subprocess
import sys

from claro_backoffice.cli.client import FAILED, OK, USAGE, Failed, Gateway, Unreachable, connection_options

# Examples per operation: the budgets of the project's own gateway contract run (tests/gateway/test_contract.py,
# a test keeps them equal; `make contract-full` is CONTRACT_PROFILE=full). quick is stateless like `make test`'s run
# (about half a minute against `serve`); full adds schemathesis's coverage and stateful phases.
EXAMPLES = {"quick": 6, "full": 150}
PHASES = {"quick": "examples,fuzzing", "full": "examples,coverage,fuzzing,stateful"}
TOKEN_MINUTES = 1440  # the pinned token's life: longer than any run; it is revoked at the end anyway


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "contract",
        help="check a running server against its OpenAPI contract (schemathesis)",
        description="Run schemathesis against the gateway's spec (URL/api/v1/openapi.json) in a sandbox of its "
        "own with an admin token pinned to it: every other sandbox is left untouched. Exit 1 with schemathesis's "
        "failures when the server does not conform. Needs the [contract] extra.",
    )
    parser.add_argument(
        "--sandbox", help="run in this sandbox (created if missing, then kept); default: contract-<random>, deleted"
    )
    parser.add_argument(
        "--profile",
        choices=tuple(EXAMPLES),
        default="quick",
        help="quick (default): 6 examples per operation, stateless; full: 150, with the coverage and stateful phases",
    )
    connection_options(parser)
    parser.set_defaults(run=_contract)


def _contract(args: argparse.Namespace) -> int:
    if not _installed():
        print(
            "contract: schemathesis is not installed: pip install 'claro-backoffice[contract]'",
            file=sys.stderr,
        )
        return USAGE
    gateway = Gateway.from_args(args)
    own = args.sandbox is None
    sandbox = args.sandbox or f"contract-{secrets.token_hex(4)}"
    try:
        gateway.call("POST", "/admin/sandboxes", json={"name": sandbox}, sandbox=sandbox)
        created = True
    except Failed as exc:
        if own or exc.status != 409:  # 409: the sandbox named with --sandbox exists already
            raise
        created = False
    try:
        issued = gateway.call(
            "POST",
            "/admin/tokens",
            sandbox=sandbox,
            json={"role": "admin", "sandbox": sandbox, "expiresInMinutes": TOKEN_MINUTES},
        )
        try:
            print(f"contract: sandbox {sandbox}{' (created)' if created else ''}, {args.profile} profile", flush=True)
            code = _schemathesis(gateway.url, issued["token"], sandbox, args.profile)
        finally:
            gateway.call("DELETE", f"/admin/tokens/{issued['id']}", sandbox=sandbox)
    finally:
        if own:
            _delete(gateway, sandbox)
    if code != 0:
        print(f"contract: {gateway.url} does not conform to its contract (schemathesis exit {code})", file=sys.stderr)
        return FAILED
    print(f"contract: {gateway.url} conforms")
    return OK


def _installed() -> bool:
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        return False
    return True


def _schemathesis(url: str, token: str, sandbox: str, profile: str) -> int:
    with importlib.resources.as_file(importlib.resources.files(__package__) / "contract.toml") as config:
        command = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(config),
            "run",
            f"{url}/api/v1/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(EXAMPLES[profile]),
            "--phases",
            PHASES[profile],
            "--header",
            f"Authorization: Bearer {token}",
            "--header",
            f"X-Sandbox: {sandbox}",
        ]
        return subprocess.run(command, check=False).returncode


def _delete(gateway: Gateway, sandbox: str) -> None:
    """The run's own sandbox goes, whatever happened; failing to delete it is said, not raised over the result."""
    try:
        gateway.call("DELETE", f"/admin/sandboxes/{sandbox}")
    except (Failed, Unreachable) as exc:
        print(f"contract: could not delete sandbox {sandbox}: {exc}", file=sys.stderr)
