"""POST/GET /troubleTicket, GET /troubleTicket/{id}: escalations to DIME as TMF621 trouble tickets
(gateway/services/escalations.py)."""

from __future__ import annotations

from gateway.api.calls import backoffice, base_url, call_context
from gateway.services import escalations


def create_trouble_ticket(body):
    ticket = escalations.create(backoffice(), call_context(), base_url(), body)
    return ticket, 201, {"Location": ticket["href"]}


def get_trouble_ticket(id_):
    return escalations.get(backoffice(), call_context(), base_url(), id_)


def list_trouble_tickets(customer_id, status=None, limit=20, offset=0):
    tickets, total = escalations.find(backoffice(), call_context(), base_url(), customer_id, status, limit, offset)
    return tickets, 200, {"X-Total-Count": str(total), "X-Result-Count": str(len(tickets))}
