"""`serve` (what `make run` runs: the composition root, serve.py) and `wait` (until a server answers its health
check with 200, for pipelines that start one)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

import requests

from claro_backoffice.cli.client import OK, UNREACHABLE, base_url, connection_options, unreachable
from claro_backoffice.core import memory

# Each option of `serve` and the environment variable it sets (README "Configuration"); an option left out keeps
# the variable's value from the environment, else its default.
SERVE_VARIABLES = {
    "host": "HOST",
    "port": "PORT",
    "var_dir": "VAR_DIR",
    "world_seed": "WORLD_SEED",
    "world_size": "WORLD_SIZE",
    "world_date": "WORLD_REFERENCE_DATE",
    "replica_id": "REPLICA_ID",
    "peers": "PEERS",
}
POLL_SECONDS = 0.25


def add(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the gateway, the console and every system (make run)",
        description="Serve the gateway (/api/v1), the console (/console) and every system (/mocks/<system>) in "
        "one process, or each system in a process of its own (--split). Prints `serve: listening on URL` once "
        "every system answers. Each option overrides its environment variable.",
    )
    serve.add_argument("--host", help="the address to listen on (env HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=_port, help="the port; 0 for any free one (env PORT, default 8000)")
    serve.add_argument(
        "--split",
        action="store_true",
        help="each system in its own process on its own port (env SPLIT_BASE_PORT, default 8101 upwards)",
    )
    serve.add_argument("--var-dir", metavar="DIR", help="where the sandboxes' files live (env VAR_DIR, default var)")
    serve.add_argument("--world-seed", type=_natural, metavar="N", help="the world's seed (env WORLD_SEED)")
    serve.add_argument("--world-size", type=_positive, metavar="N", help="customers in the world (env WORLD_SIZE)")
    serve.add_argument(
        "--world-date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the world's reference date (env WORLD_REFERENCE_DATE)",
    )
    serve.add_argument(
        "--replica-id",
        metavar="ID",
        help="this replica's name behind a router, ending in its number 0-99 (r1; env REPLICA_ID; README "
        '"Scaling out"): its CUNs come from its own range',
    )
    serve.add_argument(
        "--peers",
        metavar="URL,URL",
        help="the other replicas' base URLs, comma-separated (env PEERS): GET /admin/sandboxes lists theirs too",
    )
    serve.set_defaults(run=_serve)

    wait = commands.add_parser(
        "wait",
        help="wait until a server's health check answers 200",
        description="Poll URL/api/v1/health until it answers 200 (every system up): exit 0; after --timeout "
        "seconds without it, exit 3 saying what it last got.",
    )
    connection_options(wait)
    wait.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="how long to wait (default 60)")
    wait.set_defaults(run=_wait)


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0-65535, not {value}")
    return value


def _natural(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from None


def serve_environment(args: argparse.Namespace) -> dict[str, str]:
    """The variables the options given set (serve.py and the split mode's children read the environment)."""
    return {
        variable: str(getattr(args, option))
        for option, variable in SERVE_VARIABLES.items()
        if getattr(args, option) is not None
    }


def _serve(args: argparse.Namespace) -> int:
    os.environ.update(serve_environment(args))
    argv = ["--split"] if args.split else []
    restart = memory.allocator_environment(os.environ)
    if restart is not None:  # the same process (pid, output, signals) started again with the allocator's settings
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, [sys.executable, "-m", "claro_backoffice.serve", *argv], restart)
    from claro_backoffice import serve  # the composition root: imported only to serve (it imports every system)

    serve.main(argv)
    return OK


def _wait(args: argparse.Namespace) -> int:
    url = base_url(args)
    http = requests.Session()
    http.trust_env = False
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            response = http.get(f"{url}/api/v1/health", timeout=5)
            if response.status_code == 200:
                print(f"wait: {url} is up")
                return OK
            last = f"the health check answered {response.status_code}{_down(response)}"
        except requests.RequestException as exc:
            last = unreachable(url, exc)
        if time.monotonic() >= deadline:
            print(f"wait: {url} not ready after {args.timeout:g} s: {last}", file=sys.stderr)
            return UNREACHABLE
        time.sleep(POLL_SECONDS)


def _down(response: requests.Response) -> str:
    """`(down: rr, ac)` from a health answer that names systems down."""
    try:
        systems = response.json().get("systems", [])
        down = [s["system"] for s in systems if s.get("status") == "down"]
    except (ValueError, AttributeError, KeyError, TypeError):
        return ""
    return f" (down: {', '.join(down)})" if down else ""
