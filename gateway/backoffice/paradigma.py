"""Paradigma: physical and digital invoices, query and delivery scheduling.

The only code that knows this system's URLs and JSON (openapi/mocks/paradigma.yaml). For now only the base URL and
the control API every adapter inherits; later increments add its business methods here.
"""
from __future__ import annotations

from gateway.backoffice.control import ControlAPI


class ParadigmaAdapter(ControlAPI):
    system = "paradigma"
