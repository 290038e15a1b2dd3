"""POST /searchTimeSlot, POST /appointment, GET and PATCH /appointment/{id}: technical visits in Módulo de Gestión
as TMF646 (gateway/services/visits.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context
from claro_backoffice.gateway.services import visits


def search_time_slot(body: dict[str, Any]) -> dict:
    return visits.search(backoffice(), call_context(), base_url(), body)


def create_appointment(body: dict[str, Any]) -> tuple[dict, int, dict[str, str]]:
    view = visits.book(backoffice(), call_context(), base_url(), body)
    return view, 201, {"Location": view["href"]}


def get_appointment(id_: str) -> dict:
    return visits.get(backoffice(), call_context(), base_url(), id_)


def patch_appointment(id_: str, body: dict[str, Any]) -> dict:
    return visits.change(backoffice(), call_context(), base_url(), id_, body)
