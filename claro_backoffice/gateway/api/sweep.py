"""The conversations' timed ends (gateway/cases/ending.py) applied before an operation that reads or changes them
from outside /conversations (a case opened in one, the indicators counting them)."""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.cases.ending import Endings, Timers
from claro_backoffice.gateway.cases.messaging import Messenger
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.settings import GatewaySettings


def sweep_endings(ctx: CallContext) -> None:
    current = runtime()
    settings = current.settings
    messenger = Messenger(current.crm, current.clocks, current.backoffice.meta, ctx, current.numbers.of(ctx.sandbox))
    Endings(current.crm, current.clocks, messenger, timers(settings)).sweep()


def timers(settings: GatewaySettings) -> Timers:
    return Timers(settings.closing_question_minutes, settings.inactivity_minutes)
