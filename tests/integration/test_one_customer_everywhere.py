"""One customer of the default world, walked through all eleven systems: the same identity, accounts, lines,
node and cells everywhere."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def customer(world):
    """A customer with a home account, a mobile line and a device credit."""
    with_credit = {c["customer_id"] for c in world.tables["credits"]}
    party = next(
        p for p in world.tables["parties"] if p["segments"] == "hogar+movil" and p["customer_id"] in with_credit
    )
    home = next(a for a in world.tables["home_accounts"] if a["customer_id"] == party["customer_id"])
    mobile = next(a for a in world.tables["mobile_accounts"] if a["customer_id"] == party["customer_id"])
    line = next(ln for ln in world.tables["lines"] if ln["account_number"] == mobile["account_number"])
    modem = next(m for m in world.tables["cable_modems"] if m["account_number"] == home["account_number"])
    return {"party": party, "home": home, "mobile": mobile, "line": line, "modem": modem}


def test_the_same_customer_in_all_eleven_systems(mock_client, customer):
    party, home, mobile, line = customer["party"], customer["home"], customer["mobile"], customer["line"]
    cid, account, msisdn = party["customer_id"], home["account_number"], line["msisdn"]

    rr = mock_client("rr")
    found = rr.get("/subscribers", params={"document_number": party["document_number"]}).json()["subscribers"]
    assert [s["customer_id"] for s in found] == [cid] and account in found[0]["accounts"]
    assert rr.get(f"/accounts/{account}").json()["node"] == home["node"]
    assert rr.get(f"/accounts/{account}/cable-modem").json()["mac_address"] == customer["modem"]["mac_address"]

    ac = mock_client("ac")
    found = ac.get("/subscribers", params={"document_number": party["document_number"]}).json()["subscribers"]
    assert [s["customer_id"] for s in found] == [cid]
    ac_line = ac.get(f"/lines/{msisdn}").json()
    assert (ac_line["account_number"], ac_line["customer_id"], ac_line["home_cell_id"], ac_line["imei"]) == (
        mobile["account_number"],
        cid,
        line["home_cell_id"],
        line["imei"],
    )

    check = mock_client("diagnosticador").get(f"/accounts/{account}/modem-check").json()
    assert check["customer_id"] == cid and check["modem"]["mac_address"] == customer["modem"]["mac_address"]

    gestion = mock_client("gestion").get(f"/accounts/{account}/provisioning").json()
    assert (gestion["customer_id"], gestion["node"]) == (cid, home["node"])

    cell = mock_client("sara").get(f"/cells/{line['home_cell_id']}").json()
    assert cell["cell_id"] == line["home_cell_id"]
    assert cell["municipality_code"] == party["municipality_code"], "the serving cell is in the customer's town"

    cci = mock_client("cci").get(f"/lines/{msisdn}").json()
    assert (cci["customer_id"], cci["account_number"], cci["home_cell"]["cell_id"]) == (
        cid,
        mobile["account_number"],
        line["home_cell_id"],
    )

    balance = mock_client("cmax").get(f"/lines/{msisdn}/balance").json()
    assert (balance["customer_id"], balance["account_number"], balance["plan_code"]) == (
        cid,
        mobile["account_number"],
        line["plan_code"],
    )

    volte = mock_client("portalpac").get(f"/lines/{msisdn}/volte").json()
    assert (volte["account_number"], volte["device_model"]) == (mobile["account_number"], line["device_model"])

    credits = mock_client("ascard").get(f"/customers/{cid}/credits").json()["credits"]
    assert credits and {c["account_number"] for c in credits} <= {account, mobile["account_number"]}

    paradigma = mock_client("paradigma")
    assert paradigma.get(f"/accounts/{account}").json()["customer_id"] == cid
    invoices = paradigma.get(f"/accounts/{mobile['account_number']}/invoices").json()["invoices"]
    assert invoices and {i["customer_id"] for i in invoices} == {cid}

    dime = mock_client("dime")
    created = dime.post(
        "/escalations",
        json={
            "case_id": "CASO-2026-000001",
            "customer_id": cid,
            "account_number": account,
            "area_code": "SOPN2",
            "typification_code": "SOP-INT-01",
            "description": "Módem sin sincronía, validado en Diagnosticador.",
            "evidence": [{"name": "diagnostico.txt", "text": "módem sin sincronía"}],
            "advisor": "asesor.premium01",
        },
    )
    assert created.status_code == 201
    escalations = dime.get("/escalations", params={"customer_id": cid}).json()
    listed = escalations.get("escalations", escalations.get("items", []))
    assert [e["customer_id"] for e in listed] == [cid]
