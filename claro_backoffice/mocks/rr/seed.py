"""RR's slice of the world: home subscribers, their accounts, services, cable modems, cuentas matriz, past LLS
orders (world.tables["lls"]), the typification codes that can be marked on a home account, and two adjustment
requests awaiting a supervisor (AJR00000001, AJR00000002: mocks/kit/adjustments.py)."""

from __future__ import annotations

from claro_backoffice.mocks.kit.adjustments import create_table, seeded_at
from claro_backoffice.world.build import World
from claro_backoffice.world.people import SUBSCRIBER_FIELDS

# What serves each table, for fixtures (mocks/kit/served.py): the spec's schemas whose same-named
# properties a planted value must fit; a "!column" is not checked (stored in another form, or another meaning).
SERVED_AS = {
    "subscribers": ("Subscriber",),
    "accounts": ("Account",),
    "services": ("Service",),
    "cable_modems": ("CableModem",),
    "cuentas_matriz": ("CuentaMatriz",),
    "typifications": ("Typification",),
    "lls": ("Lls",),
    "markings": ("Marking",),
    "folders": ("Folder",),
    "folder_notes": ("Note",),
    "adjustments": ("Adjustment",),
}


def seed(db, world: World) -> None:
    t = world.tables
    homes = {a["customer_id"] for a in t["home_accounts"]}
    db["subscribers"].insert_all(
        (
            {c: p[c] for c in SUBSCRIBER_FIELDS} | {"segment": "premium" if p["premium"] else "masivo"}
            for p in t["parties"]
            if p["customer_id"] in homes
        ),
        pk="customer_id",
    )
    db["subscribers"].create_index(["document_type", "document_number"], unique=True)
    db["subscribers"].create_index(["contact_mobile"])
    db["accounts"].insert_all(t["home_accounts"], pk="account_number", foreign_keys=[("customer_id", "subscribers")])
    db["accounts"].create_index(["customer_id"])
    db["services"].insert_all(t["home_services"], pk="service_id", foreign_keys=[("account_number", "accounts")])
    db["services"].create_index(["account_number"])
    db["services"].create_index(["fixed_line"])
    db["cable_modems"].insert_all(t["cable_modems"], pk="mac_address", foreign_keys=[("account_number", "accounts")])
    db["cable_modems"].create_index(["account_number"])
    db["cuentas_matriz"].insert_all(t["cuentas_matriz"], pk="cuenta_matriz")
    db["typifications"].insert_all((c for c in t["typifications"] if c["line"] in ("hogar", "ambos")), pk="code")
    # Created explicitly: a small world (WORLD_SIZE=20) may have no past LLS at all, and insert_all of nothing
    # creates no table.
    db["lls"].create(
        {
            "lls_id": str,
            "account_number": str,
            "reason": str,
            "state": str,
            "source": str,
            "slot_start": str,
            "slot_end": str,
            "technician": str,
            "created_at": str,
        },
        pk="lls_id",
    )
    db["lls"].insert_all(t.get("lls", []), pk="lls_id")
    db["lls"].create_index(["account_number"])
    db["markings"].create(
        {
            "marking_id": int,
            "account_number": str,
            "code": str,
            "description": str,
            "notes": str,
            "advisor": str,
            "resolved_first_contact": int,
            "cun": str,
            "created_at": str,
        },
        pk="marking_id",
        foreign_keys=[("account_number", "accounts")],
    )
    db["markings"].create_index(["account_number"])
    db["folders"].create(
        {"account_number": str, "name": str, "created_by": str, "created_at": str}, pk=("account_number", "name")
    )
    db["folder_notes"].create(
        {"note_id": int, "account_number": str, "folder": str, "text": str, "advisor": str, "created_at": str},
        pk="note_id",
    )
    db["folder_notes"].create_index(["account_number", "folder"])
    first, second = t["home_accounts"][:2]
    create_table(
        db,
        [
            {
                "adjustment_id": "AJR00000001",
                "account_number": first["account_number"],
                "customer_id": first["customer_id"],
                "amount": 89900,
                "reason": "Cobro de visita técnica que no se realizó",
                "advisor": "asesor.premium04",
                "requested_at": seeded_at(world.now, 2, 10),
            },
            {
                "adjustment_id": "AJR00000002",
                "account_number": second["account_number"],
                "customer_id": second["customer_id"],
                "amount": 120000,
                "reason": "Cobro de reconexión no procedente: el servicio no estuvo suspendido",
                "advisor": "asesor.premium07",
                "requested_at": seeded_at(world.now, 1, 15),
            },
        ],
    )
