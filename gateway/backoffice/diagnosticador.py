"""Diagnosticador: cable-modem checks, platform incidents (AVISO) and fault escalation (home).

The only code that knows this system's URLs and JSON (openapi/mocks/diagnosticador.yaml). For now only the base URL and
the control API every adapter inherits; later increments add its business methods here.
"""
from __future__ import annotations

from gateway.backoffice.control import ControlAPI


class DiagnosticadorAdapter(ControlAPI):
    system = "diagnosticador"
