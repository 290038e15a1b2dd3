"""CCI: a mobile line's connection records (voice, data, SMS).

The only code that knows this system's URLs and JSON (openapi/mocks/cci.yaml). For now only the base URL and
the control API every adapter inherits; later increments add its business methods here.
"""
from __future__ import annotations

from gateway.backoffice.control import ControlAPI


class CciAdapter(ControlAPI):
    system = "cci"
