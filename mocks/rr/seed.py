"""RR's slice of the world: home subscribers, their accounts, services, cable modems, cuentas matriz, past LLS
orders (world.tables["lls"]), and the typification codes that can be marked on a home account."""
from __future__ import annotations

from world.build import World

_SUBSCRIBER_COLUMNS = ("customer_id", "document_type", "document_number", "first_name", "last_name",
                       "business_name", "birth_date", "email", "contact_mobile", "premium", "customer_since")


def seed(db, world: World) -> None:
    t = world.tables
    homes = {a["customer_id"] for a in t["home_accounts"]}
    db["subscribers"].insert_all(
        ({c: p[c] for c in _SUBSCRIBER_COLUMNS} | {"segment": "premium" if p["premium"] else "masivo"}
         for p in t["parties"] if p["customer_id"] in homes), pk="customer_id")
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
    db["lls"].insert_all(t["lls"], pk="lls_id")
    db["lls"].create_index(["account_number"])
    db["markings"].create({"marking_id": int, "account_number": str, "code": str, "description": str, "notes": str,
                           "advisor": str, "resolved_first_contact": int, "cun": str, "created_at": str},
                          pk="marking_id", foreign_keys=[("account_number", "accounts")])
    db["markings"].create_index(["account_number"])
    db["folders"].create({"account_number": str, "name": str, "created_by": str, "created_at": str},
                         pk=("account_number", "name"))
    db["folder_notes"].create({"note_id": int, "account_number": str, "folder": str, "text": str, "advisor": str,
                               "created_at": str}, pk="note_id")
    db["folder_notes"].create_index(["account_number", "folder"])
