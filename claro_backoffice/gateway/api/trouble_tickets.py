"""POST/GET /troubleTicket, GET /troubleTicket/{id}: escalations to DIME as TMF621 trouble tickets
(gateway/services/escalations.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context
from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services import escalations


def create_trouble_ticket(body: dict[str, Any]) -> tuple[dict, int, dict[str, str]]:
    ticket = escalations.create(backoffice(), runtime().crm, runtime().clocks, call_context(), base_url(), body)
    return ticket, 201, {"Location": ticket["href"]}


def get_trouble_ticket(id_: str) -> dict:
    return escalations.get(backoffice(), call_context(), base_url(), id_)


def list_trouble_tickets(
    customer_id: str, status: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[dict], int, dict[str, str]]:
    tickets, total = escalations.find(backoffice(), call_context(), base_url(), customer_id, status, limit, offset)
    return tickets, 200, {"X-Total-Count": str(total), "X-Result-Count": str(len(tickets))}
