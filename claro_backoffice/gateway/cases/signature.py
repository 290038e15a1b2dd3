"""Meta's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`, checked over
the exact bytes received (never a re-serialisation: Meta escapes non-ASCII as \\u00ed) in constant time."""

from __future__ import annotations

import hashlib
import hmac


def signature_error(app_secret: str, body: bytes, header: str | None) -> str | None:
    """None when the header signs the body; otherwise what is wrong, for the 401's detail."""
    if not header:
        return "X-Hub-Signature-256 is missing: every webhook POST must be signed by Meta"
    scheme, _, given = header.partition("=")
    if scheme != "sha256" or not given:
        return "X-Hub-Signature-256 must be 'sha256=<hex digest>'"
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given.strip().lower()):
        return "X-Hub-Signature-256 does not match the body: not signed with this app's secret, or altered"
    return None
