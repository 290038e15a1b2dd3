"""GET /indicators: the procedure's five indicators of a window (gateway/services/indicators.py)."""

from __future__ import annotations

from claro_backoffice.gateway.api.calls import backoffice, call_context, executor
from claro_backoffice.gateway.api.sweep import sweep_endings
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services import indicators


def get_indicators(from_: str, to: str, team: str | None = None) -> dict:
    ctx = call_context()
    rt = runtime()
    sweep_endings(ctx)  # the timed ends first, as every read of conversations applies them
    return indicators.indicators(
        backoffice(), executor(), rt.crm, rt.settings, rt.clocks.now(ctx.sandbox), ctx, from_, to, team
    )
