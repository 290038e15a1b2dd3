"""Who acts: the token's user, when the token carries one (issued tokens, `user=` in GATEWAY_TOKENS).

A body field naming the actor (`advisor`, `supervisor`, `answeredBy`, `closedBy`) may name the token's user or be
left out; naming someone else is a 422 `acting-for-another`, except with an admin token (tests, scenarios, an
operator fixing data), for which the field wins. A token without a user keeps the old meaning: the field names
the actor.
"""

from __future__ import annotations

from claro_backoffice.gateway.api.calls import token_info
from claro_backoffice.gateway.domain_errors import RuleBroken


def actor(named: str | None, field: str) -> str | None:
    """The user acting: the field's value or the token's user (None when neither says)."""
    info = token_info()
    user = info.get("user")
    if named and user and named != user and info.get("role") != "admin":
        raise RuleBroken(
            f"this token acts as '{user}': '{field}' can't name '{named}' (only an admin token acts for someone "
            "else); leave it out",
            "acting-for-another",
            field=field,
        )
    return named or user


def required_actor(named: str | None, field: str) -> str:
    """As actor(), where somebody must be named: 422 when neither the field nor the token says who."""
    who = actor(named, field)
    if who is None:
        raise RuleBroken(
            f"say who acts: give '{field}', or use a token that carries its user (POST /admin/tokens)",
            "actor-required",
            field=field,
        )
    return who


def with_actor(body: dict, field: str) -> dict:
    """The body with `field` set to the acting user (left out when nobody is known)."""
    who = actor(body.get(field), field)
    return dict(body, **{field: who}) if who else body
