"""GET /guides, GET /guides/{symptom}: the advisor's guide (gateway/services/guides.py), read-only."""

from __future__ import annotations

from claro_backoffice.gateway.runtime import runtime
from claro_backoffice.gateway.services import guides


def list_guides(product: str | None = None, symptom: str | None = None) -> dict:
    found = guides.find(runtime().guides, runtime().typifications, product, symptom)
    return {"guides": found, "total": len(found)}


def get_guide(symptom: str) -> dict:
    return guides.one(runtime().guides, runtime().typifications, symptom)
