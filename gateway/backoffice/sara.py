"""SARA: radio zone status by coordinates, base station or other criteria (mobile).

The only code that knows this system's URLs and JSON (openapi/mocks/sara.yaml). For now only the base URL and
the control API every adapter inherits; later increments add its business methods here.
"""
from __future__ import annotations

from gateway.backoffice.control import ControlAPI


class SaraAdapter(ControlAPI):
    system = "sara"
