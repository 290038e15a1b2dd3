"""/lines/{msisdn}/recharges: re-applying a recharge CMAX did not apply (gateway/services/recharges.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.actors import required_actor
from claro_backoffice.gateway.api.calls import backoffice, call_context
from claro_backoffice.gateway.services import recharges


def reapply_line_recharge(msisdn: str, reference: str, body: dict[str, Any]) -> dict:
    return recharges.reapply(
        backoffice(), call_context(), msisdn, reference, required_actor(body["advisor"], "advisor")
    )
