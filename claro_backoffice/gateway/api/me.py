"""GET /me: who the bearer token is (any role, any token) - what a client such as the console reads at sign-in to
learn the token's user and the sandbox it is pinned to, instead of trusting what a person types."""

from __future__ import annotations

from claro_backoffice.gateway.api.calls import token_info


def who_am_i() -> dict:
    info = token_info()  # security checked the token: role, user, pinned sandbox, and an issued token's id and expiry
    return {
        "role": info["role"],
        "user": info.get("user"),
        "sandbox": info.get("pinned"),
        "expiresAt": info.get("expiresAt"),
        "tokenId": info.get("tokenId"),
    }
