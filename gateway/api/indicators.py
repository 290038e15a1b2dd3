"""GET /indicators: the procedure's five indicators of a window (gateway/services/indicators.py)."""

from __future__ import annotations

from gateway.api.calls import backoffice, call_context, executor
from gateway.cases.ending import Endings, Timers
from gateway.cases.messaging import Messenger
from gateway.runtime import runtime
from gateway.services import indicators


def get_indicators(from_: str, to: str, team: str | None = None) -> dict:
    ctx = call_context()
    rt = runtime()
    # The timed ends first, as every read of conversations applies them (a conversation that ended is counted so).
    messenger = Messenger(rt.crm, rt.clocks, backoffice().meta, ctx, rt.numbers.of(ctx.sandbox))
    Endings(
        rt.crm, rt.clocks, messenger, Timers(rt.settings.closing_question_minutes, rt.settings.inactivity_minutes)
    ).sweep()
    return indicators.indicators(
        backoffice(), executor(), rt.crm, rt.settings, rt.clocks.now(ctx.sandbox), ctx, from_, to, team
    )
