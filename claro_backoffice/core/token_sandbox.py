"""The sandbox an issued bearer token (`clr1.<claims>.<signature>`, gateway/tokens.py) says it is pinned to, read
WITHOUT verifying it: for routing only. Behind a router, a token is known to the replica that issued it (README
"Scaling out"), so the console reads where to send a sign-in before any gateway can check the token; the gateway of
the replica it lands on verifies it (a forged claim only sends its bearer to a replica that refuses it)."""

from __future__ import annotations

import base64
import binascii
import json

PREFIX = "clr1."


def claimed_sandbox(token: str) -> str | None:
    """The claims' `sbx` when `token` looks like an issued token naming one; else None."""
    signed, _, _signature = token.rpartition(".")
    if not signed.startswith(PREFIX):
        return None
    text = signed[len(PREFIX) :]
    try:
        claims = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError):
        return None
    sandbox = claims.get("sbx") if isinstance(claims, dict) else None
    return sandbox if isinstance(sandbox, str) else None
