"""The back-office systems, in the one order everything lists them in (serve.py's split ports, the gateway's
health and admin answers). HOME and MOBILE name the two that hold a customer's accounts: rr the home (fixed)
services, ac the mobile lines."""

from __future__ import annotations

SYSTEMS = (
    "rr",
    "ac",
    "diagnosticador",
    "sara",
    "cci",
    "cmax",
    "ascard",
    "portalpac",
    "dime",
    "paradigma",
    "gestion",
    "almabi",
    "meta",
)
HOME = "rr"
MOBILE = "ac"
