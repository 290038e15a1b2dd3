"""Issued bearer tokens (POST /admin/tokens): stateless, signed, expiring and revocable.

A token is `clr1.<claims>.<signature>`: the claims are compact JSON in base64url (jti: the token id, role, user,
sbx: the sandbox it is pinned to or null, iat and exp: Unix seconds), the signature HMAC-SHA256 of `clr1.<claims>`
with TOKEN_SECRET, base64url. Any replica configured with the same secret verifies a token without asking anyone;
only revocation needs the registry (the shared store), which every replica on the same VAR_DIR reads.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import hmac
import json

from claro_backoffice.core.token_sandbox import PREFIX  # the format's version prefix, also read by the console's router


class TokenRejected(Exception):
    """Why a presented token can't be used: kind `token-invalid` (malformed, tampered with, or signed with another
    secret), `token-expired` or `token-revoked`."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind, self.detail = kind, detail


@dataclasses.dataclass(frozen=True)
class Claims:
    jti: str
    role: str
    user: str | None
    sandbox: str | None
    iat: int
    exp: int

    def as_json(self) -> dict:
        return {
            "jti": self.jti,
            "role": self.role,
            "user": self.user,
            "sbx": self.sandbox,
            "iat": self.iat,
            "exp": self.exp,
        }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, signed: str) -> bytes:
    return hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest()


def instant(seconds: float) -> str:
    """Unix seconds as the API writes an instant (UTC, `Z`)."""
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC).isoformat().replace("+00:00", "Z")


def is_issued(token: str) -> bool:
    return token.startswith(PREFIX)


def sign(secret: str, claims: Claims) -> str:
    payload = json.dumps(claims.as_json(), separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    signed = PREFIX + _b64(payload.encode())
    return f"{signed}.{_b64(_mac(secret, signed))}"


def verify(secret: str, token: str, now: float) -> Claims:
    """The token's claims when its signature is this secret's and it has not expired (revocation: the caller's)."""
    signed, _, signature = token.rpartition(".")
    invalid = TokenRejected("token-invalid", "the bearer token is not one this gateway signed (malformed or altered)")
    if not signed.startswith(PREFIX) or "." in signed[len(PREFIX) :]:
        raise invalid
    try:
        given = _unb64(signature)
    except (binascii.Error, ValueError):
        raise invalid from None
    if not hmac.compare_digest(given, _mac(secret, signed)):
        raise invalid
    try:
        raw = json.loads(_unb64(signed[len(PREFIX) :]))
        claims = Claims(raw["jti"], raw["role"], raw["user"], raw["sbx"], int(raw["iat"]), int(raw["exp"]))
    except (binascii.Error, ValueError, KeyError, TypeError):  # signed by us, so only an older format gets here
        raise invalid from None
    if now >= claims.exp:
        raise TokenRejected("token-expired", f"the bearer token {claims.jti} expired; ask an admin for a new one")
    return claims
