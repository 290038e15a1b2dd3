"""Bearer tokens -> roles, optionally pinned to one sandbox (connexion's x-bearerInfoFunc).

401: no token or an unknown one (connexion's). 403: the token's role is not in the operation's `x-roles`, or the
token is pinned to a sandbox and `X-Sandbox` names another. A pinned token without `X-Sandbox` acts on its own
sandbox. Tokens never appear in a log line or an answer.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping

from connexion.lifecycle import ConnexionRequest

from gateway.errors import problem
from gateway.runtime import SCOPE_KEY, GatewayRuntime
from gateway.settings import Token

log = logging.getLogger("gateway.security")
DEFAULT_SANDBOX = "default"


def _lookup(tokens: Mapping[str, Token], presented: str) -> Token | None:
    found: Token | None = None
    for known, entry in tokens.items():  # constant time per comparison: no early exit on a prefix
        if hmac.compare_digest(known.encode(), presented.encode()):
            found = entry
    return found


def bearer_info(token: str, request: ConnexionRequest | None = None) -> dict[str, str | None] | None:
    assert request is not None  # connexion passes the request to a function that names it
    runtime: GatewayRuntime = request.scope[SCOPE_KEY]
    entry = _lookup(runtime.settings.tokens, token)
    if entry is None:
        log.info("rejected an unknown bearer token")
        return None
    operation = request.scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
    allowed = runtime.roles.get(operation, ())
    if entry.role not in allowed:
        raise problem(
            403, f"the role '{entry.role}' can't use this operation (allowed: {', '.join(allowed)})", "forbidden-role"
        )
    asked = request.headers.get("x-sandbox")
    if entry.sandbox and asked and asked != entry.sandbox:
        raise problem(
            403,
            f"this token is pinned to sandbox '{entry.sandbox}' and can't reach sandbox '{asked}'",
            "forbidden-sandbox",
        )
    return {
        "sub": entry.role,
        "role": entry.role,
        "pinned": entry.sandbox,
        "sandbox": asked or entry.sandbox or DEFAULT_SANDBOX,
    }
