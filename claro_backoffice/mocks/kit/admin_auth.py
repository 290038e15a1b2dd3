"""MOCK_ADMIN_TOKEN: when set, every control API request (`/__admin/...`, its spec and UI excepted) needs
`Authorization: Bearer <token>`; otherwise it is a 401 problem. Unset (the default, fine on loopback), the control
API is open. Checked by the kit's middleware before anything else, so an unauthenticated caller learns nothing,
not even whether a sandbox exists."""

from __future__ import annotations

import hmac


def authorised(expected: str | None, authorization: str | None) -> bool:
    if not expected:
        return True
    scheme, _, presented = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), expected.encode())


def bearer_info(token: str) -> dict:
    """connexion's x-bearerInfoFunc for the spec's `adminToken` scheme: the middleware has already checked the
    token (and lets any through when none is configured), so what reaches connexion is accepted."""
    return {"sub": "admin"}
