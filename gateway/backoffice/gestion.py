"""Módulo de Gestión: service provisioning, technical visits (LLS) lookup and scheduling (home).

The only code that knows this system's URLs and JSON (openapi/mocks/gestion.yaml). For now only the base URL and
the control API every adapter inherits; later increments add its business methods here.
"""
from __future__ import annotations

from gateway.backoffice.control import ControlAPI


class GestionAdapter(ControlAPI):
    system = "gestion"
