"""CMAX through HTTP: lines as the world says, bundle expiry on the virtual clock, recharges (applied, refused on
a suspended line, planted as failed and re-applied), bundle purchases, provisioning, reset and sandboxes."""

from __future__ import annotations

import datetime as dt

import pytest

from claro_backoffice.mocks.kit.context import RUNTIME_KEY

PROBLEM = "application/problem+json"


def _line(world, **match):
    return next(ln for ln in world.tables["lines"] if all(ln[k] == v for k, v in match.items()))


def _balance(c, msisdn) -> int:
    response = c.get(f"/lines/{msisdn}/balance")
    assert response.status_code == 200, response.text
    return response.json()["main_balance"]


def _set_clock(c, when: str):
    response = c.post("/__admin/clock", json={"set": when, "frozen": True})
    assert response.status_code == 200, response.text


def _problem(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    for word in words:
        assert word in body["detail"], body["detail"]
    return body


# ---- the world's lines -------------------------------------------------------------------------------------
def test_every_world_line_is_in_cmax_with_the_worlds_identifiers(mock_client, world):
    c = mock_client("cmax")
    plans = {p["plan_code"]: p for p in world.tables["mobile_plans"]}
    for line in world.tables["lines"]:
        body = c.get(f"/lines/{line['msisdn']}/balance").json()
        assert (
            body["customer_id"],
            body["account_number"],
            body["line_type"],
            body["plan_code"],
            body["line_status"],
        ) == (line["customer_id"], line["account_number"], line["line_type"], line["plan_code"], line["status"])
        assert body["plan_name"] == plans[line["plan_code"]]["name"]
        assert body["currency"] == "COP" and body["main_balance"] >= 0


def test_msisdn_accepts_country_code_and_unknown_line_is_a_404_problem(mock_client, world):
    c = mock_client("cmax")
    msisdn = _line(world, line_type="prepago", status="activa")["msisdn"]
    assert c.get(f"/lines/+57{msisdn}/balance").json()["msisdn"] == msisdn
    assert c.get(f"/lines/57{msisdn}/provisioning").json()["msisdn"] == msisdn
    _problem(c.get("/lines/3999999999/balance"), 404, "3999999999", "CMAX")
    _problem(c.get("/recharges/RC9999999999"), 404, "RC9999999999")
    assert c.get("/lines/12345/balance").status_code == 400
    assert c.get("/lines/%0A3101234567/balance").status_code == 400


def test_provisioning_of_an_active_line_and_barred_services_of_a_suspended_one(mock_client, world):
    c = mock_client("cmax")
    active = _line(world, status="activa", line_type="postpago")
    body = c.get(f"/lines/{active['msisdn']}/provisioning").json()
    states = {s["service"]: s["state"] for s in body["services"]}
    assert list(states) == ["voz", "datos", "sms", "volte", "roaming"]
    assert states["voz"] == "active" and states["sms"] == "active"
    assert body["iccid"] == active["iccid"] and body["imsi"].startswith("732101")
    volte = {s["msisdn"]: s["volte_status"] for s in world.tables["line_settings"]}[active["msisdn"]]
    assert states["volte"] == volte
    suspended = _line(world, status="suspendida")
    body = c.get(f"/lines/{suspended['msisdn']}/provisioning").json()
    assert body["line_status"] == "suspendida"
    assert {s["state"] for s in body["services"]} == {"barred"}
    assert suspended["suspension_reason"] in body["services"][0]["detail"]


@pytest.fixture
def event_sandbox(mock_client, mock_apps):
    """A sandbox of its own whose event log a test writes as AC or PortalPAC would; cleaned up afterwards."""
    c = mock_client("cmax")
    name = "cmax-events"
    assert c.post("/__admin/sandboxes", json={"name": name}).status_code == 201
    events = mock_apps("cmax").app.config[RUNTIME_KEY].store.events(name)
    yield c, {"X-Sandbox": name}, events
    for source in ("ac", "portalpac"):
        events.withdraw(source)
    c.delete(f"/__admin/sandboxes/{name}")


def test_volte_follows_portalpac_requests_on_the_virtual_clock(event_sandbox, world):
    c, sandbox, events = event_sandbox
    volte = {s["msisdn"]: s["volte_status"] for s in world.tables["line_settings"]}
    msisdn = next(
        ln["msisdn"] for ln in world.tables["lines"] if ln["status"] == "activa" and volte[ln["msisdn"]] == "active"
    )

    def state(headers=sandbox):
        services = c.get(f"/lines/{msisdn}/provisioning", headers=headers).json()["services"]
        return {s["service"]: s["state"] for s in services}["volte"]

    c.post("/__admin/clock", json={"set": "2026-11-04T10:00:00-05:00", "frozen": True}, headers=sandbox)
    events.append(
        "portalpac",
        "volte.uninstall_requested",
        msisdn,
        {"msisdn": msisdn, "status": "pending_removal", "effective_at": "2026-11-04T10:05:00-05:00"},
    )
    assert state() == "pending"
    c.post("/__admin/clock", json={"advance": "PT6M"}, headers=sandbox)
    assert state() == "inactive"
    assert state(headers={}) == "active"  # the default sandbox never saw the event


def test_line_status_and_sim_follow_ac(event_sandbox, world):
    c, sandbox, events = event_sandbox
    line = _line(world, status="activa", line_type="prepago")
    msisdn = line["msisdn"]
    events.append(
        "ac",
        "line.status_changed",
        msisdn,
        {"msisdn": msisdn, "status": "suspendida", "reason": "hurto", "iccid": line["iccid"]},
    )
    assert c.get(f"/lines/{msisdn}/balance", headers=sandbox).json()["line_status"] == "suspendida"
    _problem(
        c.post(f"/lines/{msisdn}/recharges", json={"amount": 5000, "channel": "pse"}, headers=sandbox), 422, "hurto"
    )
    services = c.get(f"/lines/{msisdn}/provisioning", headers=sandbox).json()["services"]
    assert {s["state"] for s in services} == {"barred"}
    new_sim = "8957101000000000017"
    events.append(
        "ac", "line.status_changed", msisdn, {"msisdn": msisdn, "status": "activa", "reason": None, "iccid": new_sim}
    )
    body = c.get(f"/lines/{msisdn}/provisioning", headers=sandbox).json()
    assert (body["line_status"], body["iccid"], body["imsi"]) == ("activa", new_sim, "732101" + new_sim[7:16])
    response = c.post(f"/lines/{msisdn}/recharges", json={"amount": 5000, "channel": "pse"}, headers=sandbox)
    assert response.status_code == 201 and response.json()["status"] == "applied"


# ---- bundles and the virtual clock ----------------------------------------------------------------------------
def test_bundle_expires_when_the_virtual_clock_passes_its_expiry(mock_client, world):
    c = mock_client("cmax")
    found = None
    for line in world.tables["lines"]:
        active = [b for b in c.get(f"/lines/{line['msisdn']}/bundles?status=active").json()["bundles"]]
        if active:
            found = line["msisdn"], active[0]
            break
    assert found, "the default world should have a line with an active bundle"
    msisdn, bundle = found
    expires = dt.datetime.fromisoformat(bundle["expires_at"])
    _set_clock(c, (expires - dt.timedelta(minutes=1)).isoformat())
    same = next(b for b in c.get(f"/lines/{msisdn}/bundles").json()["bundles"] if b["bundle_id"] == bundle["bundle_id"])
    assert same["status"] == "active"
    active_before = c.get(f"/lines/{msisdn}/balance").json()["active_bundles"]
    _set_clock(c, (expires + dt.timedelta(minutes=1)).isoformat())
    expired = c.get(f"/lines/{msisdn}/bundles?status=expired").json()["bundles"]
    assert bundle["bundle_id"] in [b["bundle_id"] for b in expired]
    assert c.get(f"/lines/{msisdn}/balance").json()["active_bundles"] == active_before - 1


def test_prepaid_purchase_debits_the_balance_and_lasts_its_validity(mock_client, world):
    c = mock_client("cmax")
    msisdn = next(
        ln["msisdn"]
        for ln in world.tables["lines"]
        if ln["line_type"] == "prepago" and ln["status"] == "activa" and _balance(c, ln["msisdn"]) >= 10000
    )
    before = _balance(c, msisdn)
    response = c.post(f"/lines/{msisdn}/bundles", json={"offer_code": "DAT-7D-3GB", "advisor": "asesor.premium01"})
    assert response.status_code == 201, response.text
    bundle = response.json()
    assert (bundle["name"], bundle["status"], bundle["charged_to"], bundle["data_mb"]) == (
        "Paquete 7 días 3 GB",
        "active",
        "saldo",
        3072,
    )
    assert bundle["main_balance"] == before - 10000 == _balance(c, msisdn)
    assert dt.datetime.fromisoformat(bundle["expires_at"]) - dt.datetime.fromisoformat(
        bundle["activated_at"]
    ) == dt.timedelta(days=7)
    c.post("/__admin/clock", json={"advance": "P7DT1M"})
    now = next(b for b in c.get(f"/lines/{msisdn}/bundles").json()["bundles"] if b["bundle_id"] == bundle["bundle_id"])
    assert now["status"] == "expired"


def test_postpaid_purchase_goes_to_the_invoice_and_short_prepaid_balance_is_409(mock_client, world):
    c = mock_client("cmax")
    postpaid = _line(world, line_type="postpago", status="activa")["msisdn"]
    before = _balance(c, postpaid)
    bought = c.post(f"/lines/{postpaid}/bundles", json={"offer_code": "ROA-7D-2GB"}).json()
    assert bought["charged_to"] == "factura" and _balance(c, postpaid) == before
    prepaid = _line(world, line_type="prepago", status="activa")["msisdn"]
    c.post(
        "/__admin/fixtures",
        json={"changes": [{"table": "lines", "update": {"where": {"msisdn": prepaid}, "set": {"main_balance": 2500}}}]},
    )
    body = _problem(c.post(f"/lines/{prepaid}/bundles", json={"offer_code": "DAT-1D-1GB"}), 409, "2500", "3000")
    assert body["balance"] == 2500
    assert _balance(c, prepaid) == 2500
    assert c.post(f"/lines/{prepaid}/bundles", json={"offer_code": "NOPE"}).status_code == 400


# ---- recharges ------------------------------------------------------------------------------------------------
def test_recharge_is_applied_to_the_balance_and_found_by_reference(mock_client, world):
    c = mock_client("cmax")
    msisdn = _line(world, line_type="prepago", status="activa")["msisdn"]
    before = _balance(c, msisdn)
    response = c.post(f"/lines/{msisdn}/recharges", json={"amount": 20000, "channel": "efecty"})
    assert response.status_code == 201, response.text
    recharge = response.json()
    assert (recharge["status"], recharge["amount"], recharge["channel"], recharge["balance_after"]) == (
        "applied",
        20000,
        "efecty",
        before + 20000,
    )
    assert _balance(c, msisdn) == before + 20000
    assert c.get(f"/recharges/{recharge['reference']}").json() == recharge
    listed = c.get(f"/lines/{msisdn}/recharges").json()["recharges"]
    assert listed[0]["reference"] == recharge["reference"]
    assert c.get(f"/lines/{msisdn}/balance").json()["last_recharge"]["reference"] == recharge["reference"]


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 999, "channel": "pse"},
        {"amount": 500001, "channel": "pse"},
        {"amount": 5000, "channel": "bitcoin"},
        {"amount": 5000},
        {"amount": 5000, "channel": "pse", "extra": 1},
    ],
)
def test_recharge_bad_input_is_a_400(mock_client, world, body):
    c = mock_client("cmax")
    msisdn = _line(world, status="activa")["msisdn"]
    assert c.post(f"/lines/{msisdn}/recharges", json=body).status_code == 400


def test_recharge_not_json_is_a_415(mock_client, world):
    c = mock_client("cmax")
    msisdn = _line(world, status="activa")["msisdn"]
    response = c.post(f"/lines/{msisdn}/recharges", content="amount=5000", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_recharge_on_a_suspended_line_is_a_422(mock_client, world):
    c = mock_client("cmax")
    line = _line(world, status="suspendida")
    before = _balance(c, line["msisdn"])
    _problem(
        c.post(f"/lines/{line['msisdn']}/recharges", json={"amount": 5000, "channel": "pse"}),
        422,
        line["msisdn"],
        "suspendida",
    )
    assert _balance(c, line["msisdn"]) == before
    active = _line(world, status="activa", line_type="prepago")["msisdn"]
    c.post(
        "/__admin/fixtures",
        json={
            "changes": [
                {
                    "table": "lines",
                    "update": {
                        "where": {"msisdn": active},
                        "set": {"status": "suspendida", "suspension_reason": "hurto"},
                    },
                }
            ]
        },
    )
    _problem(c.post(f"/lines/{active}/recharges", json={"amount": 5000, "channel": "pse"}), 422, "hurto")
    services = c.get(f"/lines/{active}/provisioning").json()["services"]
    assert {s["state"] for s in services} == {"barred"}


def test_failed_recharge_planted_by_fixture_is_reapplied_once(mock_client, world):
    c = mock_client("cmax")
    msisdn = _line(world, line_type="prepago", status="activa")["msisdn"]
    before = c.get(f"/lines/{msisdn}/balance").json()
    planted = {
        "reference": "RC0000000042",
        "msisdn": msisdn,
        "amount": 15000,
        "channel": "pse",
        "status": "not_applied",
        "requested_at": "2026-11-03T19:20:00-05:00",
        "failure_reason": "Pago recibido sin confirmación del recaudador",
    }
    response = c.post(
        "/__admin/fixtures",
        json={"description": "recarga no aplicada", "changes": [{"table": "recharges", "insert": [planted]}]},
    )
    assert response.status_code == 200, response.text
    incomplete = {k: v for k, v in planted.items() if k != "requested_at"} | {"reference": "RC0000000043"}
    refused = c.post("/__admin/fixtures", json={"changes": [{"table": "recharges", "insert": [incomplete]}]})
    assert refused.status_code == 422 and "requested_at" in refused.json()["detail"]
    now = c.get(f"/lines/{msisdn}/balance").json()
    assert now["unapplied_recharges"] == before["unapplied_recharges"] + 1
    assert now["main_balance"] == before["main_balance"]
    failed = c.get(f"/lines/{msisdn}/recharges?status=not_applied").json()["recharges"]
    assert "RC0000000042" in [r["reference"] for r in failed]

    response = c.post("/recharges/RC0000000042/reapply", json={"advisor": "asesor.premium01"})
    assert response.status_code == 200, response.text
    applied = response.json()
    assert (applied["status"], applied["reapplied_by"], applied["balance_after"]) == (
        "applied",
        "asesor.premium01",
        before["main_balance"] + 15000,
    )
    assert _balance(c, msisdn) == before["main_balance"] + 15000
    _problem(
        c.post("/recharges/RC0000000042/reapply", json={"advisor": "asesor.premium01"}),
        409,
        "RC0000000042",
        "already applied",
    )
    assert _balance(c, msisdn) == before["main_balance"] + 15000
    assert c.post("/recharges/RC0000000042/reapply", json={}).status_code == 400


def test_seeded_failed_and_pending_recharges(mock_client, world):
    c = mock_client("cmax")
    failed, pending = [], []
    for line in world.tables["lines"]:  # prepaid lines recharge most: look at them first
        if line["line_type"] != "prepago" or (failed and pending):
            continue
        rows = c.get(f"/lines/{line['msisdn']}/recharges?days=180").json()["recharges"]
        failed += [r for r in rows if r["status"] == "not_applied" and line["status"] == "activa"]
        pending += [r for r in rows if r["status"] == "pending"]
    assert failed and pending
    assert all(r["failure_reason"] and r["applied_at"] is None for r in failed)
    _problem(
        c.post(f"/recharges/{pending[0]['reference']}/reapply", json={"advisor": "asesor.premium01"}), 409, "pending"
    )
    before = _balance(c, failed[0]["msisdn"])
    assert c.post(f"/recharges/{failed[0]['reference']}/reapply", json={"advisor": "a01"}).status_code == 200
    assert _balance(c, failed[0]["msisdn"]) == before + failed[0]["amount"]


def test_platform_failing_new_recharges_by_fixture(mock_client, world):
    c = mock_client("cmax")
    msisdn = _line(world, line_type="prepago", status="activa")["msisdn"]
    before = _balance(c, msisdn)
    c.post(
        "/__admin/fixtures",
        json={
            "changes": [
                {"table": "lines", "update": {"where": {"msisdn": msisdn}, "set": {"recharge_outcome": "not_applied"}}}
            ]
        },
    )
    recharge = c.post(f"/lines/{msisdn}/recharges", json={"amount": 10000, "channel": "app_mi_claro"}).json()
    assert recharge["status"] == "not_applied" and recharge["failure_reason"]
    assert _balance(c, msisdn) == before
    c.post(f"/recharges/{recharge['reference']}/reapply", json={"advisor": "asesor.premium01"})
    assert _balance(c, msisdn) == before + 10000


def test_recharge_window_and_status_filter(mock_client, world):
    c = mock_client("cmax")
    msisdn = max(
        (ln["msisdn"] for ln in world.tables["lines"] if ln["line_type"] == "prepago"),
        key=lambda m: len(c.get(f"/lines/{m}/recharges?days=180").json()["recharges"]),
    )
    everything = c.get(f"/lines/{msisdn}/recharges?days=180").json()["recharges"]
    week = c.get(f"/lines/{msisdn}/recharges?days=7").json()["recharges"]
    limit = world.now - dt.timedelta(days=7)
    assert [r["reference"] for r in week] == [
        r["reference"] for r in everything if dt.datetime.fromisoformat(r["requested_at"]) >= limit
    ]
    assert len(week) < len(everything)
    times = [r["requested_at"] for r in everything]
    assert times == sorted(times, reverse=True)
    applied = c.get(f"/lines/{msisdn}/recharges?days=180&status=applied").json()["recharges"]
    assert applied and {r["status"] for r in applied} == {"applied"}
    assert c.get(f"/lines/{msisdn}/recharges?days=0").status_code == 400
    assert c.get(f"/lines/{msisdn}/recharges?days=181").status_code == 400
    assert c.get(f"/lines/{msisdn}/recharges?status=lost").status_code == 400


# ---- reset and sandboxes --------------------------------------------------------------------------------------
def test_reset_undoes_recharges_and_sandboxes_are_isolated(mock_client, world):
    c = mock_client("cmax")
    msisdn = _line(world, line_type="prepago", status="activa")["msisdn"]
    before = _balance(c, msisdn)
    body = {"amount": 50000, "channel": "tienda_claro"}
    reference = c.post(f"/lines/{msisdn}/recharges", json=body).json()["reference"]
    assert c.post("/__admin/reset").status_code == 200
    assert c.get(f"/recharges/{reference}").status_code == 404
    assert _balance(c, msisdn) == before

    sandbox = {"X-Sandbox": "cmax-isolated"}
    assert c.post("/__admin/sandboxes", json={"name": "cmax-isolated"}).status_code == 201
    try:
        c.post(f"/lines/{msisdn}/recharges", json={"amount": 1000, "channel": "pse"}, headers=sandbox)
        assert c.get(f"/lines/{msisdn}/balance", headers=sandbox).json()["main_balance"] == before + 1000
        assert _balance(c, msisdn) == before
    finally:
        c.delete("/__admin/sandboxes/cmax-isolated")
    assert c.get(f"/lines/{msisdn}/balance", headers=sandbox).status_code == 404
