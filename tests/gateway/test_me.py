"""GET /me (issue 15's sign-in): who the bearer token is - a configured token (with or without a pinned sandbox and
a user) or an issued one (its id and expiry too); no token or a bad one: 401."""

from __future__ import annotations

from claro_backoffice.gateway.app import create_app
from claro_backoffice.gateway.settings import GatewaySettings, parse_tokens
from tests.gateway.test_advisors_and_tokens import issue, refused, wall_clock  # noqa: F401 - wall_clock: a fixture
from tests.support.advisors import active_asesor
from tests.support.inprocess_client import in_process_client


def test_a_configured_token_without_a_user_or_sandbox(gateway_client):
    answer = gateway_client.get("/me", token="dev-supervisor")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"role": "supervisor", "user": None, "sandbox": None, "expiresAt": None, "tokenId": None}


def test_a_configured_token_pinned_to_a_sandbox_with_a_user(tmp_path):
    configured = "dev-admin:admin,pinned-tok:asesor:training:user=ana.perez"
    app = create_app(GatewaySettings(validate_responses=True, var_dir=tmp_path, tokens=parse_tokens(configured)))
    try:
        with in_process_client(app) as client:
            answer = client.get("/me", headers={"Authorization": "Bearer pinned-tok"})
            assert answer.status_code == 200, answer.text
            assert answer.json() == {
                "role": "asesor",
                "user": "ana.perez",
                "sandbox": "training",
                "expiresAt": None,
                "tokenId": None,
            }
            other = client.get("/me", headers={"Authorization": "Bearer pinned-tok", "X-Sandbox": "default"})
            refused(other, 403, "forbidden-sandbox")
    finally:
        app.runtime.close()


def test_an_issued_token_names_its_id_and_expiry(gateway_client, wall_clock):  # noqa: F811 - the fixture
    gw = gateway_client
    advisor = active_asesor(gw)["username"]
    issued = issue(gw, role="asesor", user=advisor, expiresInMinutes=30)
    answer = gw.get("/me", token=issued["token"])
    assert answer.status_code == 200, answer.text
    # the wall clock stands at 1_800_000_000 (2027-01-15T08:00:00Z); 30 minutes later
    assert answer.json() == {
        "role": "asesor",
        "user": advisor,
        "sandbox": None,
        "expiresAt": "2027-01-15T08:30:00Z",
        "tokenId": issued["id"],
    }


def test_no_token_or_a_bad_one_is_401(gateway_client, wall_clock):  # noqa: F811 - the fixture
    gw = gateway_client
    assert gw.get("/me", token=None).status_code == 401
    assert gw.get("/me", token="not-a-token").status_code == 401
    issued = issue(gw, role="admin", user="instructora.ana", expiresInMinutes=5)
    wall_clock.now += 5 * 60
    refused(gw.get("/me", token=issued["token"]), 401, "token-expired")
