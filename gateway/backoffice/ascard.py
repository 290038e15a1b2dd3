"""ASCARD: credits charged to a home or mobile account (device financing, payment behaviour).

The only code that knows this system's URLs and JSON (openapi/mocks/ascard.yaml). For now only the base URL and
the control API every adapter inherits; later increments add its business methods here.
"""
from __future__ import annotations

from gateway.backoffice.control import ControlAPI


class AscardAdapter(ControlAPI):
    system = "ascard"
