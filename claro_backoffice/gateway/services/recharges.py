"""Re-applying a prepaid recharge CMAX did not apply (the advisor's fix for "recargué y no me llegó el saldo").

The recharge must be the line's: the gateway reads it first, and a reference on another line is a 404 (CMAX is
not asked to re-apply). CMAX's own refusals keep their status and detail, naming `cmax`: an unknown reference
404, an applied or pending recharge 409, a line that is not active 422. The write carries an Idempotency-Key
from the request id, so a replayed request gets CMAX's first answer and the balance is credited once.
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext, write_key
from claro_backoffice.gateway.domain_errors import NotFound


def reapply(backoffice: Backoffice, ctx: CallContext, msisdn: str, reference: str, advisor: str) -> dict:
    recharge = backoffice.cmax.recharge(ctx, reference)
    if recharge["msisdn"] != msisdn:
        raise NotFound(
            f"recharge {reference} is not line {msisdn}'s in CMAX: re-apply it on its own line",
            "recharge-not-found",
        )
    assert ctx.request_id is not None  # call_context() always sets one: the key is this request's
    return backoffice.cmax.reapply_recharge(
        ctx, reference, advisor, key=write_key(reference, "reapply", ctx.request_id)
    )
