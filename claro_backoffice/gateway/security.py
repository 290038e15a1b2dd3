"""Bearer tokens -> roles, optionally pinned to one sandbox and carrying their user (connexion's x-bearerInfoFunc).

Two kinds: the configured ones (GATEWAY_TOKENS, `token:role[:sandbox][:user=<login>]`) and the signed ones that
POST /admin/tokens issues (`clr1.…`, gateway/tokens.py). 401: no token or an unknown one (connexion's), or an
issued token that is expired, revoked or not ours (tampered with, another secret): the detail says which.
403: the token's role is not in the operation's `x-roles`, or the token is pinned to a sandbox and `X-Sandbox`
names another. A pinned token without `X-Sandbox` acts on its own sandbox. Tokens never appear in a log line or
an answer. The answer (connexion's token_info) carries the token's `user`, and `tokenId` and `expiresAt` for an
issued one.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping

from connexion.lifecycle import ConnexionRequest

from claro_backoffice.gateway import tokens
from claro_backoffice.gateway.errors import problem
from claro_backoffice.gateway.runtime import SCOPE_KEY, GatewayRuntime
from claro_backoffice.gateway.services.tokens import TokenService
from claro_backoffice.gateway.settings import Token

log = logging.getLogger("claro_backoffice.gateway.security")
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
    expires_at = None
    if tokens.is_issued(token):
        entry, expires_at = _issued(runtime, token)
    else:
        found = _lookup(runtime.settings.tokens, token)
        if found is None:
            log.info("rejected an unknown bearer token")
            return None
        entry = found
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
        "user": entry.user,
        "tokenId": entry.token if tokens.is_issued(token) else None,  # an issued token's entry holds its id
        "expiresAt": expires_at,
    }


def _issued(runtime: GatewayRuntime, token: str) -> tuple[Token, str]:
    """A signed token as an entry (its `token` field holds its id, never the token) and when it expires; 401 saying
    why it's refused."""
    service = TokenService(runtime.crm, runtime.settings.token_secret, runtime.wall_clock)
    try:
        claims = service.check(token)
    except tokens.TokenRejected as refused:
        log.info("rejected an issued bearer token: %s", refused.kind)
        raise problem(401, refused.detail, refused.kind) from None
    return Token(claims.jti, claims.role, claims.sandbox, claims.user), tokens.instant(claims.exp)
