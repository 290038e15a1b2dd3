"""POST /homeDiagnostics: Diagnosticador's check of a home account (gateway/services/diagnosis.py)."""

from __future__ import annotations

from typing import Any

from claro_backoffice.gateway.api.calls import backoffice, base_url, call_context, executor
from claro_backoffice.gateway.services.diagnosis import home_diagnostic


def create_home_diagnostic(body: dict[str, Any]) -> dict:
    return home_diagnostic(backoffice(), executor(), call_context(), base_url(), body["accountId"], body.get("service"))
