"""CMAX: prepaid provisioning of any active line (mobile).

The only code that knows this system's URLs and JSON (openapi/mocks/cmax.yaml). For now only the base URL and
the control API every adapter inherits; later increments add its business methods here.
"""
from __future__ import annotations

from gateway.backoffice.control import ControlAPI


class CmaxAdapter(ControlAPI):
    system = "cmax"
