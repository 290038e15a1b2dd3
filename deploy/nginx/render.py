"""Render deploy/nginx/claro-backoffice.conf for a list of replicas (README "Scaling out").

    python deploy/nginx/render.py --listen 8080 http://10.0.0.1:8000 http://10.0.0.2:8000 > claro-backoffice.conf

Replicas are base URLs (as in PEERS) or host:port. Their order does not matter to the hashing (ketama hashes each
server's address), but their addresses do: keep them stable (a StatefulSet's pod names), or groups move.
Standard library only: it runs where nginx is configured, without the package.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

TEMPLATE = Path(__file__).resolve().parent / "claro-backoffice.conf"
_ADDRESS = re.compile(r"^[A-Za-z0-9.\[\]:_-]+:[0-9]{1,5}$")


def address(replica: str) -> str:
    """host:port of a replica given as a base URL (http://host:port) or as host:port."""
    if "://" in replica:
        parts = urlsplit(replica)
        if parts.scheme != "http" or parts.path.strip("/") or not parts.hostname:
            raise ValueError(f"replica {replica!r}: a base URL such as http://10.0.0.1:8000 (http, no path)")
        replica = (
            f"{parts.hostname}:{parts.port or 80}"
            if ":" not in parts.hostname
            else f"[{parts.hostname}]:{parts.port or 80}"
        )
    if not _ADDRESS.match(replica):
        raise ValueError(f"replica {replica!r} is not host:port")
    return replica


def render(replicas: list[str], listen: str, template: str | None = None) -> str:
    """The config with one `server` line per replica (never marked down: max_fails=0) and `listen`."""
    if not replicas:
        raise ValueError("at least one replica")
    servers = [address(r) for r in replicas]
    if len(set(servers)) != len(servers):
        raise ValueError("a replica is listed twice")
    text = template if template is not None else TEMPLATE.read_text(encoding="utf-8")
    lines = "\n".join(f"    server {s} max_fails=0;" for s in servers)
    return text.replace("@@SERVERS@@", lines).replace("@@LISTEN@@", f"    listen {listen};")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--listen", required=True, help="nginx's listen: a port, or address:port")
    parser.add_argument("replicas", nargs="+", help="each replica's base URL (http://host:port) or host:port")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(render(args.replicas, args.listen))
    except ValueError as exc:
        print(f"render.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
