"""A line's VoLTE, Familia y Amigos and Datos Compartidos (PortalPAC) through the gateway, checked against the world
and read back from PortalPAC; refusals keep PortalPAC's status and detail; a timeout is a 504 naming it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

ASESOR = "dev-asesor"
FAMILY_ACCOUNT = "7264934899"  # POS-FAM-100, pool 100 GB: 3236530642 (49) and 3236671972 (46)


def _portalpac(gateway_client, path: str) -> dict:
    response = gateway_client.backoffice.client("portalpac").get(path)
    assert response.status_code == 200, response.text
    return response.json()


def _problem(response, status: int, system: str = "portalpac") -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["system"] == system and response.json()["detail"].startswith(f"{system}:")
    return response.json()


def _line(world, msisdn: str) -> dict:
    return next(x for x in world.tables["lines"] if x["msisdn"] == msisdn)


# ---- VoLTE ------------------------------------------------------------------------------------------------------
def test_volte_install_is_pending_then_active(gateway_client, world):
    msisdn = "3231282870"
    assert _line(world, msisdn)["volte_capable"]
    response = gateway_client.request("PUT", f"/lines/{msisdn}/volte", token=ASESOR)
    assert response.status_code == 202, response.text
    volte = response.json()
    assert volte["status"] == "pending" and volte["accountId"] == _line(world, msisdn)["account_number"]
    delay = datetime.fromisoformat(volte["effectiveAt"]) - datetime.fromisoformat(volte["requestedAt"])
    assert delay == timedelta(minutes=15)
    again = gateway_client.request("PUT", f"/lines/{msisdn}/volte", token=ASESOR)
    assert again.status_code == 200 and again.json()["status"] == "pending"
    assert gateway_client.post("/admin/clock", json={"advance": "PT16M"}).status_code == 200
    assert _portalpac(gateway_client, f"/lines/{msisdn}/volte")["status"] == "active"


def test_volte_uninstall_is_pending_removal(gateway_client, world):
    msisdn = "3137690585"
    assert {"msisdn": msisdn, "volte_status": "active"} in world.tables["line_settings"]
    response = gateway_client.delete(f"/lines/{msisdn}/volte", token=ASESOR)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "pendingRemoval"
    assert _portalpac(gateway_client, f"/lines/{msisdn}/volte")["status"] == "pending_removal"
    # installing while the removal is in progress is PortalPAC's 409
    _problem(gateway_client.request("PUT", f"/lines/{msisdn}/volte", token=ASESOR), 409)


def test_volte_on_a_device_without_it_is_portalpacs_422(gateway_client, world):
    line = next(x for x in world.tables["lines"] if not x["volte_capable"] and x["status"] == "activa")
    _problem(gateway_client.request("PUT", f"/lines/{line['msisdn']}/volte", token=ASESOR), 422)
    assert _portalpac(gateway_client, f"/lines/{line['msisdn']}/volte")["status"] == "inactive"


def test_volte_on_an_unknown_line_is_a_404(gateway_client):
    _problem(gateway_client.request("PUT", "/lines/3000000001/volte", token=ASESOR), 404)


# ---- Familia y Amigos -------------------------------------------------------------------------------------------
def test_friends_and_family_list_matches_the_world(gateway_client, world):
    msisdn = "3231282870"
    response = gateway_client.get(f"/lines/{msisdn}/friendsAndFamily", token=ASESOR)
    assert response.status_code == 200, response.text
    view = response.json()
    expected = sorted((r["slot"], r["number"]) for r in world.tables["friends_and_family"] if r["msisdn"] == msisdn)
    assert [(n["slot"], n["number"]) for n in view["numbers"]] == expected
    assert view["maxNumbers"] == 3 and view["availableSlots"] == 0
    assert view["accountId"] == _line(world, msisdn)["account_number"]


def test_add_a_number_then_the_same_again_is_a_409(gateway_client):
    msisdn = "3137690585"
    response = gateway_client.post(f"/lines/{msisdn}/friendsAndFamily", json={"number": "+573157778899"}, token=ASESOR)
    assert response.status_code == 201, response.text
    assert {"slot": 3, "number": "3157778899"} in [
        {"slot": n["slot"], "number": n["number"]} for n in response.json()["numbers"]
    ]
    stored = _portalpac(gateway_client, f"/lines/{msisdn}/friends-and-family")
    assert "3157778899" in [n["number"] for n in stored["numbers"]]
    _problem(gateway_client.post(f"/lines/{msisdn}/friendsAndFamily", json={"number": "3157778899"}, token=ASESOR), 409)


def test_adding_to_a_full_list_is_a_422(gateway_client):
    _problem(
        gateway_client.post("/lines/3231282870/friendsAndFamily", json={"number": "3157778899"}, token=ASESOR), 422
    )


def test_remove_a_number(gateway_client):
    msisdn, number = "3138411335", "3224897485"
    response = gateway_client.delete(f"/lines/{msisdn}/friendsAndFamily/{number}", token=ASESOR)
    assert response.status_code == 200, response.text
    assert number not in [n["number"] for n in response.json()["numbers"]]
    assert number not in [
        n["number"] for n in _portalpac(gateway_client, f"/lines/{msisdn}/friends-and-family")["numbers"]
    ]
    _problem(gateway_client.delete(f"/lines/{msisdn}/friendsAndFamily/{number}", token=ASESOR), 404)


# ---- Datos Compartidos ------------------------------------------------------------------------------------------
def test_shared_data_corrects_one_line_and_keeps_the_others(gateway_client, world):
    quotas = {r["msisdn"]: r["quota_gb"] for r in world.tables["shared_data"] if r["account_number"] == FAMILY_ACCOUNT}
    assert quotas == {"3236530642": 49, "3236671972": 46}
    response = gateway_client.request("PUT", "/lines/3236671972/sharedData", json={"quotaGb": 50}, token=ASESOR)
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["accountId"] == FAMILY_ACCOUNT and view["poolGb"] == 100 and view["assignedGb"] == 99
    stored = _portalpac(gateway_client, f"/accounts/{FAMILY_ACCOUNT}/shared-data")
    assert {x["msisdn"]: x["quota_gb"] for x in stored["lines"]} == {"3236530642": 49, "3236671972": 50}


def test_shared_data_beyond_the_pool_is_a_422_and_no_pool_a_404(gateway_client):
    _problem(gateway_client.request("PUT", "/lines/3236671972/sharedData", json={"quotaGb": 60}, token=ASESOR), 422)
    assert gateway_client.backoffice.calls_to("portalpac", "PUT"), "the correction reached PortalPAC"
    _problem(gateway_client.request("PUT", "/lines/3231282870/sharedData", json={"quotaGb": 1}, token=ASESOR), 404)


# ---- failures ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "method, path, body",
    [
        ("PUT", "/lines/3231282870/volte", None),
        ("DELETE", "/lines/3137690585/volte", None),
        ("GET", "/lines/3231282870/friendsAndFamily", None),
        ("POST", "/lines/3137690585/friendsAndFamily", {"number": "3157778899"}),
        ("DELETE", "/lines/3138411335/friendsAndFamily/3224897485", None),
        ("PUT", "/lines/3236671972/sharedData", {"quotaGb": 50}),
    ],
)
def test_a_portalpac_timeout_is_a_504_naming_it(gateway_client, method, path, body):
    rule = {"system": "portalpac", "kind": "timeout", "path": "*"}
    assert gateway_client.post("/admin/faults", json=rule).status_code == 201
    response = gateway_client.request(method, path, token=ASESOR, **({"json": body} if body else {}))
    assert response.status_code == 504, response.text
    assert response.json()["system"] == "portalpac"
    if method == "POST":  # never retried
        assert (
            len(
                [
                    c
                    for c in gateway_client.backoffice.calls_to("portalpac", "POST")
                    if c.path.endswith("/friends-and-family")
                ]
            )
            == 1
        )


@pytest.mark.parametrize("path", ["/lines/a%0Ab/friendsAndFamily", "/customers/%0A", "/customerBill/FV%0D1"])
def test_a_control_character_in_the_path_is_a_400_not_a_500(gateway_client, path):
    response = gateway_client.get(path, token=ASESOR)
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    assert "control character" in response.json()["detail"] and gateway_client.backoffice.calls == []


# ---- Re-applying a recharge (CMAX) ------------------------------------------------------------------------------
# RC2070000011: 15 000 COP on 3110632081 (prepago, activa), never applied in the default world.
RECHARGE_LINE, RECHARGE, RECHARGE_AMOUNT = "3110632081", "RC2070000011", 15000


def _cmax(gateway_client, path: str) -> dict:
    response = gateway_client.backoffice.client("cmax").get(path)
    assert response.status_code == 200, response.text
    return response.json()


def _reapply(gateway_client, msisdn: str, reference: str, **kw):
    return gateway_client.request(
        "POST",
        f"/lines/{msisdn}/recharges/{reference}/reapply",
        token=ASESOR,
        json={"advisor": "asesor.premium01"},
        **kw,
    )


def test_a_recharge_not_applied_is_reapplied_and_credited_once(gateway_client):
    assert _cmax(gateway_client, f"/recharges/{RECHARGE}")["status"] == "not_applied"
    before = _cmax(gateway_client, f"/lines/{RECHARGE_LINE}/balance")["main_balance"]
    response = _reapply(gateway_client, RECHARGE_LINE, RECHARGE, headers={"X-Request-Id": "reapply-1"})
    assert response.status_code == 200, response.text
    recharge = response.json()
    assert recharge["reference"] == RECHARGE and recharge["status"] == "applied"
    assert recharge["reappliedBy"] == "asesor.premium01" and recharge["balanceAfter"] == before + RECHARGE_AMOUNT
    # the same request again (a client's retry) gets CMAX's first answer: credited once
    replay = _reapply(gateway_client, RECHARGE_LINE, RECHARGE, headers={"X-Request-Id": "reapply-1"})
    assert replay.status_code == 200 and replay.json() == recharge
    assert _cmax(gateway_client, f"/lines/{RECHARGE_LINE}/balance")["main_balance"] == before + RECHARGE_AMOUNT
    # a new request on an applied recharge is CMAX's 409
    _problem(_reapply(gateway_client, RECHARGE_LINE, RECHARGE), 409, "cmax")


def test_a_recharge_of_another_line_is_a_404_and_not_reapplied(gateway_client):
    response = _reapply(gateway_client, "3229181405", RECHARGE)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert RECHARGE in response.json()["detail"] and "3229181405" in response.json()["detail"]
    assert _cmax(gateway_client, f"/recharges/{RECHARGE}")["status"] == "not_applied"


def test_an_unknown_recharge_is_cmaxs_404(gateway_client):
    _problem(_reapply(gateway_client, RECHARGE_LINE, "RC2079999999"), 404, "cmax")


def test_a_recharge_on_a_suspended_line_is_cmaxs_422(gateway_client, world):
    assert _line(world, "3154378923")["status"] == "suspendida"
    _problem(_reapply(gateway_client, "3154378923", "RC2070000057"), 422, "cmax")
    assert _cmax(gateway_client, "/recharges/RC2070000057")["status"] == "not_applied"
