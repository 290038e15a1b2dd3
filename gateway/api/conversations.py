"""/conversations: the advisor's queue and chats (gateway/cases/conversations.py)."""

from __future__ import annotations

from typing import Any

from gateway.api.calls import base_url, call_context
from gateway.api.sweep import timers
from gateway.cases.conversations import Conversations
from gateway.runtime import runtime


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


def list_conversations(
    status: str | None = None, customer_id: str | None = None, limit: int = 50, offset: int = 0
) -> dict:
    return _service().list(status, customer_id, limit, offset)


def get_conversation(conversation_id: str) -> dict:
    return _service().get(conversation_id)


def assign_conversation(conversation_id: str, body: dict[str, Any]) -> dict:
    return _service().assign(conversation_id, body["advisor"])


def close_conversation(conversation_id: str, body: dict[str, Any]) -> dict:
    return _service().close(conversation_id, body["reason"])


def send_conversation_message(conversation_id: str, body: dict[str, Any]) -> tuple[dict, int]:
    return _service().write(conversation_id, body), 201


def validate_conversation_identity(conversation_id: str, body: dict[str, Any]) -> tuple[dict, int, dict[str, str]]:
    service = _service()
    view = service.validate_identity(conversation_id, body.get("documentType"), body["documentNumber"])
    return view, 200, ({"X-Degraded-Systems": ",".join(service.degraded)} if service.degraded else {})
