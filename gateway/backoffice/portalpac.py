"""PortalPAC: VoLTE, Familia y Amigos and Datos Compartidos (mobile).

The only code that knows this system's URLs and JSON (openapi/mocks/portalpac.yaml). For now only the base URL and
the control API every adapter inherits; later increments add its business methods here.
"""
from __future__ import annotations

from gateway.backoffice.control import ControlAPI


class PortalpacAdapter(ControlAPI):
    system = "portalpac"
