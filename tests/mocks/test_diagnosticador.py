"""Diagnosticador through HTTP: the modem check follows the world (incidents, fixtures, clock), the typification
it suggests, AVISO escalation and its sequence, the TMF656 lifecycle, and problems for bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from claro_backoffice.mocks.kit.events import EventLog

T0 = "2026-11-04T08:00:00-05:00"
MASSIVE_ACCOUNT = "46271064"  # BOG-N002 (FTTH), world AVISO 5100002 inProgress, energy failure (outage)
HEALTHY_ACCOUNT = "31967911"  # CAL-N001 (HFC), no incident, internet + tv
TV_ONLY_ACCOUNT = "16493726"  # BOG-N002, tv only: no modem
SUSPENDED_ACCOUNT = "15300809"  # CTG-N001, suspendido
NEXT_AVISO = 5100005  # the world's AVISOs (node and cell) end at 5100004


@pytest.fixture
def diag(mock_client):
    client = mock_client("diagnosticador")
    freeze(client, T0)
    return client


def freeze(client, when: str) -> None:
    r = client.post("/__admin/clock", json={"set": when, "frozen": True})
    assert r.status_code == 200, r.text


def advance(client, duration: str) -> None:
    r = client.post("/__admin/clock", json={"advance": duration})
    assert r.status_code == 200, r.text


def fixture(client, *changes) -> None:
    r = client.post("/__admin/fixtures", json={"changes": list(changes)})
    assert r.status_code == 200, r.text


def modem_of(world, account_number: str) -> dict:
    return next(m for m in world.tables["cable_modems"] if m["account_number"] == account_number)


def check(client, account_number: str, service: str = "internet") -> dict:
    r = client.get(f"/accounts/{account_number}/modem-check", params={"service": service})
    assert r.status_code == 200, r.text
    return r.json()


def escalate(client, account_number, fault_type="massive", service="internet", **extra):
    return client.post(
        "/avisos",
        json={
            "account_number": account_number,
            "fault_type": fault_type,
            "service": service,
            "advisor": "asesor.premium01",
            **extra,
        },
    )


def patch(client, aviso, state, reason=None):
    body = {"state": state} | ({"reason": reason} if reason else {})
    return client.patch(f"/avisos/{aviso}", json=body)


def line_quality(client, mac: str, quality: str) -> None:
    fixture(
        client, {"table": "cable_modems", "update": {"where": {"mac_address": mac}, "set": {"line_quality": quality}}}
    )


def healthy(client, world, account_number=HEALTHY_ACCOUNT) -> str:
    mac = modem_of(world, account_number)["mac_address"]
    line_quality(client, mac, "good")
    return mac


# ---- the check follows the world ---------------------------------------------------------------------------------
def test_modem_on_node_with_massive_outage_is_offline_and_typified_sop_int_04(diag, world):
    result = check(diag, MASSIVE_ACCOUNT)
    account = next(a for a in world.tables["home_accounts"] if a["account_number"] == MASSIVE_ACCOUNT)
    modem = modem_of(world, MASSIVE_ACCOUNT)
    assert (result["customer_id"], result["node"]) == (account["customer_id"], account["node"])
    assert (result["customer_id"], result["node"]) == ("CUS00000003", "BOG-N002")
    assert result["modem"]["mac_address"] == modem["mac_address"]
    assert result["modem"]["provisioned_down_mbps"] == modem["provisioned_down_mbps"]
    assert result["modem"]["status"] == "offline"
    assert result["modem"]["real_down_mbps"] is None and result["modem"]["uptime_seconds"] is None
    assert set(result["modem"]["signal"].values()) == {None}
    assert result["typification"] == {
        "code": "SOP-INT-04",
        "category": "SOPORTE",
        "product": "internet",
        "source": "Diagnosticador",
        "description": "Falla masiva de internet: cliente asociado a AVISO",
    }
    assert result["aviso"] == 5100002
    assert [i["aviso"] for i in result["open_incidents"]] == [5100002]
    assert "AVISO 5100002" in result["findings"][0]


def test_world_modems_read_plausible_levels_and_only_outage_nodes_are_offline(diag, world):
    outage_nodes = {
        i["node"]
        for i in world.tables["incidents"]
        if i["scope"] == "node" and i["state"] in ("acknowledged", "inProgress")
    }
    assert outage_nodes == {"BOG-N002", "MZL-N001"}
    totals = {"online": 0, "degraded": 0, "offline": 0}
    for node in world.tables["nodes"]:
        modems = [m for m in world.tables["cable_modems"] if m["node"] == node["node"]]
        summary = diag.get(f"/nodes/{node['node']}").json()
        assert (summary["technology"], summary["modem_count"]) == (node["technology"], len(modems))
        assert (summary["modems_by_status"]["offline"] == len(modems)) == (node["node"] in outage_nodes)
        totals = {k: v + summary["modems_by_status"][k] for k, v in totals.items()}
        for modem in modems[:3]:  # a few per node: each check is a request
            m = check(diag, modem["account_number"])["modem"]
            s = m["signal"]
            assert (m["status"] == "offline") == (modem["node"] in outage_nodes), modem
            if m["status"] == "online" and modem["technology"] == "HFC":
                assert -7 <= s["downstream_power_dbmv"] <= 7 and s["downstream_snr_db"] >= 33
                assert 35 <= s["upstream_power_dbmv"] <= 50 and s["optical_rx_power_dbm"] is None
            if m["status"] == "online" and modem["technology"] == "FTTH":
                assert -25 <= s["optical_rx_power_dbm"] <= -8 and s["downstream_snr_db"] is None
            if m["status"] != "offline":
                assert 0 < m["real_down_mbps"] <= modem["provisioned_down_mbps"] and m["uptime_seconds"] > 0
    assert totals["offline"] == 34 and totals["online"] > 80 and totals["degraded"] < 15


def test_measurements_are_deterministic_per_virtual_hour_and_per_seed(diag, world):
    healthy(diag, world)
    first, again = check(diag, HEALTHY_ACCOUNT)["modem"], check(diag, HEALTHY_ACCOUNT)["modem"]
    assert first["signal"] == again["signal"] and first["real_down_mbps"] == again["real_down_mbps"]
    advance(diag, "PT30M")  # same hour: same levels, uptime grows with the clock
    later = check(diag, HEALTHY_ACCOUNT)["modem"]
    assert later["signal"] == first["signal"] and later["uptime_seconds"] == first["uptime_seconds"] + 1800
    advance(diag, "PT1H")
    next_hour = check(diag, HEALTHY_ACCOUNT)["modem"]
    assert next_hour["signal"] != first["signal"] and next_hour["status"] == "online"
    # Another sandbox of the same seed reads the same levels at the same virtual hour.
    assert diag.post("/__admin/sandboxes", json={"name": "diag-twin"}).status_code == 201
    try:
        twin = {"X-Sandbox": "diag-twin"}
        diag.post("/__admin/clock", json={"set": T0, "frozen": True}, headers=twin)
        diag.post(
            "/__admin/fixtures",
            headers=twin,
            json={
                "changes": [
                    {
                        "table": "cable_modems",
                        "update": {"where": {"account_number": HEALTHY_ACCOUNT}, "set": {"line_quality": "good"}},
                    }
                ]
            },
        )
        other = diag.get(f"/accounts/{HEALTHY_ACCOUNT}/modem-check", headers=twin).json()["modem"]
        assert other["signal"] == first["signal"] and other["real_down_mbps"] == first["real_down_mbps"]
    finally:
        diag.delete("/__admin/sandboxes/diag-twin")


def test_healthy_modem_suggests_wifi_and_tv_and_phone_get_their_codes(diag, world):
    healthy(diag, world)
    internet = check(diag, HEALTHY_ACCOUNT)
    assert internet["modem"]["status"] == "online" and internet["modem"]["speed_ratio"] >= 0.8
    assert internet["typification"]["code"] == "SOP-WIF-01" and internet["aviso"] is None
    assert check(diag, HEALTHY_ACCOUNT, "tv")["typification"]["code"] == "SOP-TV-01"
    r = diag.get(f"/accounts/{HEALTHY_ACCOUNT}/modem-check", params={"service": "telefonia"})
    assert r.status_code == 404 and "no telefonia service" in r.json()["detail"]


def test_line_quality_noisy_is_degraded_and_congested_is_slow(diag, world):
    mac = modem_of(world, HEALTHY_ACCOUNT)["mac_address"]
    line_quality(diag, mac, "noisy")
    noisy = check(diag, HEALTHY_ACCOUNT)
    assert noisy["modem"]["status"] == "degraded" and noisy["typification"]["code"] == "SOP-INT-03"
    assert noisy["modem"]["signal"]["downstream_snr_db"] < 33
    assert any("SNR downstream" in f for f in noisy["findings"])
    line_quality(diag, mac, "congested")
    slow = check(diag, HEALTHY_ACCOUNT)
    assert slow["modem"]["status"] == "online" and slow["modem"]["speed_ratio"] < 0.8
    assert slow["typification"]["code"] == "SOP-INT-02"


def test_fixture_modem_without_sync_is_offline_sop_int_01_until_reset(diag, world):
    mac = healthy(diag, world)
    fixture(
        diag,
        {
            "table": "modem_overrides",
            "insert": [
                {"mac_address": mac, "status": "offline", "reason": "Cable módem sin sincronía (portadora perdida)"}
            ],
        },
    )
    result = check(diag, HEALTHY_ACCOUNT)
    assert result["modem"]["status"] == "offline" and result["modem"]["real_down_mbps"] is None
    assert result["typification"]["code"] == "SOP-INT-01"
    assert result["findings"] == ["Cable módem sin sincronía (portadora perdida)"]
    assert check(diag, HEALTHY_ACCOUNT, "tv")["typification"]["code"] == "SOP-TV-01"
    assert diag.post("/__admin/reset").status_code == 200
    assert check(diag, HEALTHY_ACCOUNT)["modem"]["status"] != "offline"


def test_fixture_override_values_drive_the_status(diag, world):
    mac = healthy(diag, world)
    fixture(diag, {"table": "modem_overrides", "insert": [{"mac_address": mac, "downstream_snr_db": 28.5}]})
    result = check(diag, HEALTHY_ACCOUNT)
    assert result["modem"]["status"] == "degraded" and result["modem"]["signal"]["downstream_snr_db"] == 28.5
    fixture(diag, {"table": "modem_overrides", "insert": [{"mac_address": mac, "real_down_mbps": 20}]})
    result = check(diag, HEALTHY_ACCOUNT)
    assert result["modem"]["real_down_mbps"] == 20 and result["modem"]["speed_ratio"] == 0.4
    assert result["typification"]["code"] == "SOP-INT-02"


def test_fixture_massive_incident_on_a_node_takes_its_modems_down_until_the_clock_resolves_it(diag, world):
    on_node = [m for m in world.tables["cable_modems"] if m["node"] == "CAL-N001"]
    fixture(
        diag,
        {
            "table": "incidents",
            "insert": [{"node": "CAL-N001", "state": "inProgress", "description": "Corte de fibra en la troncal"}],
        },
    )
    result = check(diag, HEALTHY_ACCOUNT)
    assert result["modem"]["status"] == "offline" and result["typification"]["code"] == "SOP-INT-04"
    assert result["aviso"] == NEXT_AVISO
    aviso = diag.get(f"/avisos/{NEXT_AVISO}").json()
    assert aviso["opened_at"] == T0 and aviso["estimated_resolution_at"] == "2026-11-04T20:00:00-05:00"
    assert (aviso["origin"], aviso["kind"], aviso["severity"]) == ("fixture", "external_network", "outage")
    node = diag.get("/nodes/CAL-N001").json()
    assert node["modems_by_status"] == {"online": 0, "degraded": 0, "offline": len(on_node)}
    assert check(diag, HEALTHY_ACCOUNT, "tv")["typification"]["code"] == "SOP-TV-03"
    advance(diag, "PT12H")
    aviso = diag.get(f"/avisos/{NEXT_AVISO}").json()
    assert aviso["state"] == "resolved" and aviso["resolved_at"] == "2026-11-04T20:00:00-05:00"
    assert "automáticamente" in aviso["status_change_reason"]
    after = check(diag, HEALTHY_ACCOUNT)
    assert after["modem"]["status"] != "offline" and after["aviso"] is None
    assert after["modem"]["last_boot_at"] == "2026-11-04T20:00:00-05:00" and after["modem"]["uptime_seconds"] == 0
    advance(diag, "P1D")
    aviso = diag.get(f"/avisos/{NEXT_AVISO}").json()
    assert aviso["state"] == "closed" and aviso["closed_at"] == "2026-11-05T20:00:00-05:00"


def test_fixture_degradation_and_tv_only_incidents(diag, world):
    healthy(diag, world)
    fixture(
        diag,
        {
            "table": "incidents",
            "insert": [
                {
                    "node": "CAL-N001",
                    "state": "acknowledged",
                    "severity": "degradation",
                    "affected_services": "tv",
                    "kind": "platform",
                    "description": "Degradación de plataforma de televisión digital",
                }
            ],
        },
    )
    internet = check(diag, HEALTHY_ACCOUNT)
    assert internet["modem"]["status"] == "online" and internet["typification"]["code"] == "SOP-WIF-01"
    tv = check(diag, HEALTHY_ACCOUNT, "tv")
    assert tv["typification"]["code"] == "SOP-TV-03" and tv["aviso"] == NEXT_AVISO
    fixture(
        diag,
        {
            "table": "incidents",
            "update": {"where": {"aviso": NEXT_AVISO}, "set": {"affected_services": ["internet", "tv"]}},
        },
    )
    degraded = check(diag, HEALTHY_ACCOUNT)
    assert degraded["modem"]["status"] == "degraded" and degraded["modem"]["speed_ratio"] < 0.5
    assert degraded["typification"]["code"] == "SOP-INT-04"


def test_world_incident_auto_resolves_at_its_estimated_time_and_modems_come_back(diag):
    advance(diag, "P1D")  # 2026-11-05 08:00, past the 00:00 estimate
    aviso = diag.get("/avisos/5100002").json()
    assert (aviso["state"], aviso["resolved_at"]) == ("resolved", "2026-11-05T00:00:00-05:00")
    result = check(diag, MASSIVE_ACCOUNT)
    assert result["modem"]["status"] == "online" and result["open_incidents"] == []
    assert result["modem"]["uptime_seconds"] == 8 * 3600
    resolved = diag.get("/nodes/BOG-N002/incidents", params={"state": "resolved"}).json()["incidents"]
    assert [i["aviso"] for i in resolved] == [5100002]
    freeze(diag, T0)  # setting the clock back never reopens
    assert diag.get("/avisos/5100002").json()["state"] == "resolved"


def test_suspended_account_gets_no_support_code(diag):
    result = check(diag, SUSPENDED_ACCOUNT)
    assert result["account_status"] == "suspendido" and result["navigation_enabled"] is False
    assert result["typification"] is None and "suspendida" in result["findings"][-1]


def test_account_without_internet(diag):
    r = diag.get(f"/accounts/{TV_ONLY_ACCOUNT}/modem-check")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert TV_ONLY_ACCOUNT in r.json()["detail"] and "no internet service" in r.json()["detail"]
    tv = check(diag, TV_ONLY_ACCOUNT, "tv")
    assert tv["modem"] is None and tv["typification"]["code"] == "SOP-TV-03" and tv["aviso"] == 5100002


# ---- incidents ---------------------------------------------------------------------------------------------------
def test_incident_lists_match_the_world(diag, world):
    node_incidents = [i for i in world.tables["incidents"] if i["scope"] == "node"]
    for inc in node_incidents:
        got = diag.get(f"/nodes/{inc['node']}/incidents").json()["incidents"]
        assert [
            (i["aviso"], i["incident_id"], i["state"], i["kind"], i["opened_at"], i["estimated_resolution_at"])
            for i in got
        ] == [
            (
                inc["aviso"],
                inc["incident_id"],
                inc["state"],
                inc["kind"],
                inc["opened_at"],
                inc["estimated_resolution_at"],
            )
        ]
    assert diag.get("/nodes/CAL-N001/incidents").json() == {"incidents": []}
    account = diag.get(f"/accounts/{MASSIVE_ACCOUNT}/incidents").json()["incidents"]
    assert [i["aviso"] for i in account] == [5100002]
    assert diag.get(f"/accounts/{MASSIVE_ACCOUNT}/incidents", params={"state": "closed"}).json()["incidents"] == []
    assert diag.get("/nodes/BOG-N002").json()["account_count"] == sum(
        a["node"] == "BOG-N002" for a in world.tables["home_accounts"]
    )


def test_unknown_identifiers_are_404_problems_and_bad_ones_400(diag):
    for path, needle in [
        ("/accounts/19999999/modem-check", "account 19999999"),
        ("/nodes/XXX-N999", "node XXX-N999"),
        ("/avisos/4000000", "AVISO 4000000"),
        ("/accounts/19999999/incidents", "account 19999999"),
    ]:
        r = diag.get(path)
        assert r.status_code == 404 and needle in r.json()["detail"] and "Diagnosticador" in r.json()["detail"]
    assert diag.get("/accounts/ABC/modem-check").status_code == 400
    assert diag.get(f"/accounts/{HEALTHY_ACCOUNT}/modem-check", params={"service": "radio"}).status_code == 400
    assert diag.get("/nodes/BOG-N002/incidents", params={"state": "open"}).status_code == 400


# ---- escalation --------------------------------------------------------------------------------------------------
def test_massive_escalation_on_node_with_open_massive_associates_to_existing_aviso(diag):
    r = escalate(diag, MASSIVE_ACCOUNT)
    assert r.status_code == 200 and r.json()["associated"] is True and r.json()["aviso"] == 5100002
    assert r.json()["associated_accounts"] == [
        {"account_number": MASSIVE_ACCOUNT, "associated_at": T0, "advisor": "asesor.premium01"}
    ]
    single = escalate(diag, "64429105", "single")  # same node, single fault: goes to the massive too
    assert single.status_code == 200 and single.json()["aviso"] == 5100002
    assert len(diag.get("/avisos/5100002").json()["associated_accounts"]) == 2


def test_massive_escalation_creates_the_next_aviso_and_takes_the_node_down(diag, world, var_dir):
    r = escalate(diag, HEALTHY_ACCOUNT, kind="platform")
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["aviso"], body["incident_id"], body["associated"]) == (NEXT_AVISO, "INC005100005", False)
    assert (body["scope"], body["node"], body["state"], body["affected_services"]) == (
        "node",
        "CAL-N001",
        "acknowledged",
        ["internet"],
    )
    assert body["opened_at"] == T0 and body["estimated_resolution_at"] == "2026-11-04T14:00:00-05:00"
    assert check(diag, HEALTHY_ACCOUNT)["typification"]["code"] == "SOP-INT-04"
    neighbour = next(
        m["account_number"]
        for m in world.tables["cable_modems"]
        if m["node"] == "CAL-N001" and m["account_number"] != HEALTHY_ACCOUNT
    )
    again = escalate(diag, neighbour)
    assert again.status_code == 200 and again.json()["aviso"] == NEXT_AVISO
    tv = escalate(diag, HEALTHY_ACCOUNT, service="tv")  # another service: another AVISO
    assert tv.status_code == 201 and tv.json()["aviso"] == NEXT_AVISO + 1
    events = EventLog(var_dir / "events" / "default.sqlite").read("aviso.created", HEALTHY_ACCOUNT)
    assert [e["payload"]["aviso"] for e in events] == [NEXT_AVISO, NEXT_AVISO + 1]
    assert diag.post("/__admin/reset").status_code == 200
    assert diag.get(f"/avisos/{NEXT_AVISO}").status_code == 404


def test_single_fault_escalation_and_aviso_numbers_are_never_reused(diag):
    first = escalate(diag, HEALTHY_ACCOUNT, "single", description="Acometida dañada por obra vecina")
    assert first.status_code == 201 and first.json()["scope"] == "account"
    assert (first.json()["account_number"], first.json()["node"]) == (HEALTHY_ACCOUNT, "CAL-N001")
    assert first.json()["estimated_resolution_at"] == "2026-11-06T08:00:00-05:00"
    assert escalate(diag, HEALTHY_ACCOUNT, "single").json()["aviso"] == NEXT_AVISO  # already open: same AVISO
    incidents = diag.get(f"/accounts/{HEALTHY_ACCOUNT}/incidents").json()["incidents"]
    assert [i["aviso"] for i in incidents] == [NEXT_AVISO]
    fixture(diag, {"table": "incidents", "delete": {"where": {"aviso": NEXT_AVISO}}})
    assert escalate(diag, HEALTHY_ACCOUNT, "single").json()["aviso"] == NEXT_AVISO + 1


def test_escalation_refusals(diag):
    r = escalate(diag, SUSPENDED_ACCOUNT)
    assert r.status_code == 409 and "suspendido" in r.json()["detail"] and SUSPENDED_ACCOUNT in r.json()["detail"]
    r = escalate(diag, TV_ONLY_ACCOUNT, service="internet")
    assert r.status_code == 404 and "no internet service" in r.json()["detail"]
    assert escalate(diag, "19999999").status_code == 404
    assert (
        diag.post(
            "/avisos", json={"account_number": HEALTHY_ACCOUNT, "fault_type": "massive", "service": "internet"}
        ).status_code
        == 400
    )
    assert diag.post("/avisos", content=b"aviso", headers={"content-type": "text/plain"}).status_code == 415


# ---- lifecycle ---------------------------------------------------------------------------------------------------
def test_lifecycle_follows_tmf656_with_virtual_clock_timestamps(diag):
    r = patch(diag, 5100001, "resolved")
    assert r.status_code == 409
    problem = r.json()
    assert "acknowledged" in problem["detail"] and "resolved" in problem["detail"]
    assert problem["allowed_states"] == ["inProgress", "cancelled"]
    advance(diag, "PT1H")
    r = patch(diag, 5100001, "inProgress", "Cuadrilla asignada")
    assert r.status_code == 200 and r.json()["status_change_at"] == "2026-11-04T09:00:00-05:00"
    assert r.json()["status_change_reason"] == "Cuadrilla asignada"
    advance(diag, "PT2H")
    r = patch(diag, 5100001, "resolved")
    assert (r.json()["state"], r.json()["resolved_at"]) == ("resolved", "2026-11-04T11:00:00-05:00")
    reopened = patch(diag, 5100001, "inProgress").json()
    assert reopened["resolved_at"] is None and reopened["estimated_resolution_at"] == "2026-11-04T17:00:00-05:00"
    patch(diag, 5100001, "resolved")
    closed = patch(diag, 5100001, "closed").json()
    assert closed["closed_at"] == "2026-11-04T11:00:00-05:00"
    r = patch(diag, 5100001, "inProgress")
    assert r.status_code == 409 and "closed" in r.json()["detail"] and r.json()["allowed_states"] == []
    assert patch(diag, 4000000, "closed").status_code == 404


def test_resolving_a_single_fault_repairs_the_modem(diag, world, var_dir):
    mac = healthy(diag, world)
    fixture(diag, {"table": "modem_overrides", "insert": [{"mac_address": mac, "status": "offline"}]})
    aviso = escalate(diag, HEALTHY_ACCOUNT, "single").json()["aviso"]
    result = check(diag, HEALTHY_ACCOUNT)
    assert result["typification"]["code"] == "SOP-INT-01" and result["aviso"] == aviso
    patch(diag, aviso, "inProgress")
    advance(diag, "PT3H")
    assert patch(diag, aviso, "resolved").status_code == 200
    after = check(diag, HEALTHY_ACCOUNT)
    assert after["modem"]["status"] == "online" and after["modem"]["last_boot_at"] == "2026-11-04T11:00:00-05:00"
    assert after["typification"]["code"] == "SOP-WIF-01"
    events = EventLog(var_dir / "events" / "default.sqlite").read("aviso.state_changed", str(aviso))
    assert [e["payload"]["state"] for e in events] == ["inProgress", "resolved"]


def test_fixture_bad_rows_are_refused_by_the_store(diag):
    r = diag.post(
        "/__admin/fixtures",
        json={"changes": [{"table": "incidents", "insert": [{"node": "CAL-N001", "state": "open"}]}]},
    )
    assert r.status_code == 422 and 'incidents.state = "open"' in r.json()["detail"]
    r = diag.post("/__admin/fixtures", json={"changes": [{"table": "incidents", "insert": [{"node": "ZZZ-N001"}]}]})
    assert r.status_code == 422


def test_estimated_resolution_and_times_of_a_fixture_incident_follow_the_clock(diag):
    advance(diag, "PT2H")
    fixture(diag, {"table": "incidents", "insert": [{"node": "CAL-N001", "kind": "platform"}]})
    aviso = diag.get(f"/avisos/{NEXT_AVISO}").json()
    opened = dt.datetime.fromisoformat(aviso["opened_at"])
    assert opened == dt.datetime.fromisoformat("2026-11-04T10:00:00-05:00")
    assert dt.datetime.fromisoformat(aviso["estimated_resolution_at"]) - opened == dt.timedelta(hours=6)
    assert aviso["state"] == "acknowledged" and aviso["affected_services"] == ["internet", "tv", "telefonia"]


def test_fixture_values_that_are_not_numbers_are_refused_not_a_500(diag, world):
    mac = healthy(diag, world)
    refused = diag.post(
        "/__admin/fixtures",
        json={
            "changes": [
                {
                    "table": "modem_overrides",
                    "insert": [
                        {
                            "mac_address": mac,
                            "downstream_snr_db": "mucha",
                            "uptime_seconds": "ayer",
                            "real_down_mbps": "49.6",
                        }
                    ],
                }
            ]
        },
    )
    assert refused.status_code == 422 and 'modem_overrides.downstream_snr_db = "mucha"' in refused.json()["detail"]
    modem = check(diag, HEALTHY_ACCOUNT)["modem"]
    assert modem["status"] == "online" and modem["signal"]["downstream_snr_db"] >= 33, "nothing was planted"
