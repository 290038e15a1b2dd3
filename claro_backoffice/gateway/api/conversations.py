"""/conversations: the advisor's queue and chats (gateway/cases/conversations.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.actors import required_actor
from claro_backoffice.gateway.api.calls import base_url, call_context
from claro_backoffice.gateway.api.sweep import timers
from claro_backoffice.gateway.cases.conversations import Conversations
from claro_backoffice.gateway.practice.customer import PracticeCustomer
from claro_backoffice.gateway.runtime import runtime


def _service() -> Conversations:
    current, ctx = runtime(), call_context()
    return Conversations(
        ctx,
        base_url(),
        crm=current.crm,
        clocks=current.clocks,
        backoffice=current.backoffice,
        executor=current.executor,
        business_number=current.numbers.of(ctx.sandbox),
        abandon_minutes=current.settings.abandon_minutes,
        timers=timers(current.settings),
    )


def _practice_catch_up() -> None:
    """In a sandbox in practice mode, the scripted customer says what is due before the advisor's screen reads the
    chats (gateway/practice/customer.py): these are the reads a screen polls."""
    current, ctx = runtime(), call_context()
    number = current.numbers.of(ctx.sandbox)
    PracticeCustomer(current.crm, current.clocks, current.backoffice.meta, ctx, number).catch_up()


def list_conversations(
    status: list[str] | None = None, customer_id: str | None = None, limit: int = 50, offset: int = 0
) -> dict:
    _practice_catch_up()
    return _service().list(status, customer_id, limit, offset)


def get_conversation(conversation_id: str) -> dict:
    _practice_catch_up()
    return _service().get(conversation_id)


def assign_conversation(conversation_id: str, body: dict[str, Any]) -> dict:
    return _service().assign(conversation_id, required_actor(body.get("advisor"), "advisor"))


def close_conversation(conversation_id: str, body: dict[str, Any]) -> dict:
    return _service().close(conversation_id, body["reason"])


def send_conversation_message(conversation_id: str, body: dict[str, Any]) -> tuple[dict, int]:
    return _service().write(conversation_id, body), 201


def validate_conversation_identity(conversation_id: str, body: dict[str, Any]) -> tuple[dict, int, dict[str, str]]:
    service = _service()
    view = service.validate_identity(conversation_id, body.get("documentType"), body["documentNumber"])
    return view, 200, ({"X-Degraded-Systems": ",".join(service.degraded)} if service.degraded else {})
