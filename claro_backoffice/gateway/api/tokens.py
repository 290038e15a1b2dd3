"""POST /admin/tokens, GET|DELETE /admin/tokens/{tokenId}: signed, expiring, revocable bearer tokens (admin role;
gateway/services/tokens.py).

A pinned admin token issues tokens pinned to its own sandbox only (403 for another, or for none) and reads and
revokes only those. The user of a token for an Almabi role must be an agent of that role in the sandbox the token
is for (the request's sandbox when the token is not pinned), not exited: 422 otherwise. An admin token's user is
free (a name for the record) and optional.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, call_context, check_pinned, token_info
from claro_backoffice.gateway.domain_errors import RuleBroken
from claro_backoffice.gateway.errors import problem
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services.agents import ALMABI_ROLES, a, token_agent
from claro_backoffice.gateway.services.tokens import DEFAULT_MINUTES, TokenService, view


def _service() -> TokenService:
    current = runtime()
    return TokenService(current.crm, current.settings.token_secret, current.wall_clock)


def _issuer() -> str:
    info = token_info()
    return info.get("user") or info.get("role") or "admin"


def issue_token(body: dict[str, Any]) -> tuple[dict, int]:
    role, user, sandbox = body["role"], body.get("user"), body.get("sandbox")
    pinned = token_info().get("pinned")
    if pinned and sandbox is None:
        raise problem(
            403,
            f"this token is pinned to sandbox '{pinned}': the tokens it issues are pinned to it too "
            f"(give sandbox: '{pinned}')",
            "forbidden-sandbox",
        )
    if sandbox is not None:
        check_pinned(sandbox)
        runtime().sandboxes.require(sandbox)  # 404 that says how to create it
    ctx = call_context()
    if role in ALMABI_ROLES:
        if not user:
            raise RuleBroken(f"{a(role)} token acts as someone: give user (their Almabi login)", "token-user-required")
        token_agent(backoffice(), dataclasses.replace(ctx, sandbox=sandbox or ctx.sandbox), role, user)
    minutes = body.get("expiresInMinutes", DEFAULT_MINUTES)
    return _service().issue(role, user, sandbox, minutes, _issuer()), 201


def _mine(token_id: str) -> dict:
    record = _service().find(token_id)
    pinned = token_info().get("pinned")
    if pinned and record["sandbox"] != pinned:
        raise problem(403, f"this token is pinned to sandbox '{pinned}'; token {token_id} is not", "forbidden-sandbox")
    return record


def get_token(token_id: str) -> dict:
    return view(_mine(token_id))


def revoke_token(token_id: str) -> dict:
    _mine(token_id)
    return _service().revoke(token_id, _issuer())
