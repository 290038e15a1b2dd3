"""Issuing, revoking and checking the signed tokens of POST /admin/tokens (the format: gateway/tokens.py).

Every token issued is recorded in the registry (id, role, user, sandbox, who issued it, expiry; never the token),
so DELETE /admin/tokens/{id} can refuse an unknown id and every replica sharing VAR_DIR sees a revocation. Times
are the wall clock (the runtime's, injected in tests): a token's life is real time, not a sandbox's virtual time.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from claro_backoffice.gateway import tokens
from claro_backoffice.gateway.cases.store import CrmStore, row
from claro_backoffice.gateway.domain_errors import NotFound

DEFAULT_MINUTES = 8 * 60  # a shift
MAX_MINUTES = 7 * 24 * 60


def _instant(seconds: float) -> str:
    return tokens.instant(seconds)


def view(record: dict, token: str | None = None) -> dict:
    shown = {
        "id": record["id"],
        "role": record["role"],
        "user": record["user"],
        "sandbox": record["sandbox"],
        "issuedBy": record["issued_by"],
        "issuedAt": record["issued_at"],
        "expiresAt": record["expires_at"],
        "revokedAt": record["revoked_at"],
        "revokedBy": record["revoked_by"],
    }
    return shown | ({"token": token} if token else {})


class TokenService:
    def __init__(self, crm: CrmStore, secret: str, clock: Callable[[], float]):
        self.crm, self.secret, self.clock = crm, secret, clock

    def issue(self, role: str, user: str | None, sandbox: str | None, minutes: int, issued_by: str) -> dict:
        now = int(self.clock())
        claims = tokens.Claims(f"TOK-{secrets.token_hex(8)}", role, user, sandbox, now, now + minutes * 60)
        record = {
            "id": claims.jti,
            "role": role,
            "user": user,
            "sandbox": sandbox,
            "issued_by": issued_by,
            "issued_at": _instant(claims.iat),
            "expires_at": _instant(claims.exp),
            "revoked_at": None,
            "revoked_by": None,
        }
        with self.crm.registry() as db:  # recorded before the token is handed out: it can always be revoked
            db.table("issued_tokens").insert(record)
        return view(record, tokens.sign(self.secret, claims))

    def find(self, token_id: str) -> dict:
        with self.crm.registry_read() as db:
            found = row(db.execute("SELECT * FROM issued_tokens WHERE id = ?", [token_id]))
        if found is None:
            raise NotFound(f"no token {token_id} was issued by this gateway", "token-not-found")
        return found

    def revoke(self, token_id: str, revoked_by: str) -> dict:
        """Revoked from now on (a second revocation keeps the first's time and author)."""
        with self.crm.registry() as db:
            db.execute(
                "UPDATE issued_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                [_instant(self.clock()), revoked_by, token_id],
            )
        return view(self.find(token_id))

    def check(self, token: str) -> tokens.Claims:
        """The claims of a token that is ours, unexpired and not revoked (TokenRejected otherwise)."""
        claims = tokens.verify(self.secret, token, self.clock())
        with self.crm.registry_read() as db:
            found = row(db.execute("SELECT revoked_at FROM issued_tokens WHERE id = ?", [claims.jti]))
        if found is None:  # signed with our secret but unknown here: another registry, or one since removed
            raise tokens.TokenRejected("token-revoked", f"the bearer token {claims.jti} is not known to this gateway")
        if found["revoked_at"]:
            raise tokens.TokenRejected("token-revoked", f"the bearer token {claims.jti} was revoked")
        return claims
