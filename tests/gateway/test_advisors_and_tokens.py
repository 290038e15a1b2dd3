"""Real advisors and who acts (issue "The procedure, faithfully", item 9): only an active Almabi asesor takes a
conversation and greets with their first name; issued tokens (POST /admin/tokens) carry role, user and sandbox,
expire, can be revoked and can't be altered; the token's user is who takes, decides, answers and closes."""

from __future__ import annotations

import pytest

from claro_backoffice.gateway import tokens
from claro_backoffice.gateway.app import create_app
from claro_backoffice.gateway.settings import GatewaySettings, parse_tokens
from tests.flow.chat import Chat
from tests.support.advisors import active_asesor, agents
from tests.support.cases import plant_case
from tests.support.inprocess_client import in_process_client

PERSON = "CUS00000003"


@pytest.fixture
def wall_clock(gateway_app):
    """The gateway's wall clock (Unix seconds), moved by hand: tokens expire without waiting."""

    class Clock:
        now = 1_800_000_000.0

        def __call__(self) -> float:
            return self.now

    clock, kept = Clock(), gateway_app.runtime.wall_clock
    gateway_app.runtime.wall_clock = clock
    yield clock
    gateway_app.runtime.wall_clock = kept


def queued(gw, world) -> tuple[str, Chat]:
    """A premium customer asks for an advisor: their conversation, queued, and their chat."""
    party = world.index("parties", "customer_id")[PERSON]
    gw.post("/admin/clock", json={"set": "2026-11-04T09:00:00-05:00", "frozen": True})
    chat = Chat(gw, "57" + party["contact_mobile"])
    for text in ("Hola", "Acepto", "Si"):
        chat.say(text)
    [conversation] = gw.get("/conversations", params={"status": "queued"}).json()["conversations"]
    return conversation["id"], chat


def issue(gw, token: str = "dev-admin", **body) -> dict:
    answer = gw.post("/admin/tokens", json=body, token=token)
    assert answer.status_code == 201, answer.text
    return answer.json()


def refused(answer, status: int, kind: str) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["type"].endswith(f"/{kind}"), problem
    return problem


# ---- who may take a conversation -------------------------------------------------------------------------------
def test_a_made_up_advisor_cannot_take_a_conversation(gateway_client, world):
    cid, chat = queued(gateway_client, world)
    before = chat.received()
    answer = gateway_client.post(f"/conversations/{cid}/assign", json={"advisor": "mickey.mouse"})
    assert "'mickey.mouse' is not an agent in Almabi" in refused(answer, 422, "unknown-agent")["detail"]
    assert gateway_client.get(f"/conversations/{cid}").json()["status"] == "queued"
    assert chat.received() == before  # nobody greeted the customer


def test_only_an_active_asesor_takes_a_conversation(gateway_client, world):
    cid, _ = queued(gateway_client, world)
    [on_leave, *_] = agents(gateway_client, role="asesor", status="inactive")
    answer = gateway_client.post(f"/conversations/{cid}/assign", json={"advisor": on_leave["username"]})
    assert "inactive" in refused(answer, 422, "advisor-not-active")["detail"]
    [leader, *_] = agents(gateway_client, role="supervisor", status="active")
    answer = gateway_client.post(f"/conversations/{cid}/assign", json={"advisor": leader["username"]})
    assert "only an asesor" in refused(answer, 422, "not-an-asesor")["detail"]
    assert gateway_client.get(f"/conversations/{cid}").json()["status"] == "queued"


def test_the_welcome_names_the_asesor_by_first_name_never_the_login(gateway_client, world):
    cid, chat = queued(gateway_client, world)
    advisor = active_asesor(gateway_client)
    taken = gateway_client.post(f"/conversations/{cid}/assign", json={"advisor": advisor["username"]})
    assert taken.status_code == 200, taken.text
    assert taken.json()["advisor"] == advisor["username"]
    welcome = chat.last()
    assert f"Te saluda {advisor['firstName']}, tu asesor(a) Claro Premium" in welcome, welcome
    assert advisor["username"] not in welcome


# ---- issued tokens ---------------------------------------------------------------------------------------------
def test_an_issued_token_acts_as_its_user_and_expires(gateway_client, world, wall_clock):
    gw = gateway_client
    advisor = active_asesor(gw)
    issued = issue(gw, role="asesor", user=advisor["username"], expiresInMinutes=30)
    assert issued["token"].startswith("clr1.") and issued["id"].startswith("TOK-")
    assert (issued["role"], issued["user"], issued["sandbox"], issued["revokedAt"]) == (
        "asesor",
        advisor["username"],
        None,
        None,
    )
    assert issued["issuedAt"] == "2027-01-15T08:00:00Z" and issued["expiresAt"] == "2027-01-15T08:30:00Z"
    cid, chat = queued(gw, world)
    taken = gw.post(f"/conversations/{cid}/assign", json={}, token=issued["token"])  # who: the token's user
    assert taken.status_code == 200, taken.text
    assert taken.json()["advisor"] == advisor["username"]
    assert f"Te saluda {advisor['firstName']}," in chat.last()
    assert gw.get("/admin/tokens/" + issued["id"], token=issued["token"]).status_code == 403  # an asesor's token
    wall_clock.now += 30 * 60 - 1
    assert gw.get("/conversations", token=issued["token"]).status_code == 200
    wall_clock.now += 1
    expired = refused(gw.get("/conversations", token=issued["token"]), 401, "token-expired")
    assert issued["id"] in expired["detail"] and "expired" in expired["detail"]


def test_a_revoked_token_is_refused_at_once(gateway_client, wall_clock):
    gw = gateway_client
    issued = issue(gw, role="asesor", user=active_asesor(gw)["username"])
    assert gw.get("/conversations", token=issued["token"]).status_code == 200
    revoked = gw.delete(f"/admin/tokens/{issued['id']}")
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revokedAt"] and revoked.json()["revokedBy"] == "admin" and "token" not in revoked.json()
    problem = refused(gw.get("/conversations", token=issued["token"]), 401, "token-revoked")
    assert "revoked" in problem["detail"] and issued["token"] not in problem["detail"]
    assert gw.get(f"/admin/tokens/{issued['id']}").json()["revokedAt"] == revoked.json()["revokedAt"]
    refused(gw.delete("/admin/tokens/TOK-0000000000000000"), 404, "token-not-found")


def test_an_altered_token_or_one_signed_with_another_secret_is_refused(gateway_client, wall_clock):
    gw = gateway_client
    issued = issue(gw, role="asesor", user=active_asesor(gw)["username"])
    _, payload, signature = issued["token"].split(".")
    # The asesor makes their own token an admin's: same signature, altered claims.
    claims = tokens.Claims(issued["id"], "admin", issued["user"], None, int(wall_clock.now), int(wall_clock.now) + 60)
    forged_claims = tokens.sign("x" * 32, claims).split(".")[1]
    altered = f"clr1.{forged_claims}.{signature}"
    assert (
        "not one this gateway signed" in refused(gw.get("/admin/clock", token=altered), 401, "token-invalid")["detail"]
    )
    other_secret = tokens.sign("another-secret-that-is-long-enough-0000", claims)
    refused(gw.get("/admin/clock", token=other_secret), 401, "token-invalid")
    refused(gw.get("/conversations", token=f"clr1.{payload}"), 401, "token-invalid")  # no signature at all


def test_issuing_checks_the_user_against_almabi(gateway_client, wall_clock):
    gw = gateway_client
    answer = gw.post("/admin/tokens", json={"role": "asesor", "user": "mickey.mouse"})
    refused(answer, 422, "unknown-agent")
    asesor = active_asesor(gw)
    answer = gw.post("/admin/tokens", json={"role": "supervisor", "user": asesor["username"]})
    assert "is an asesor in Almabi, not a supervisor" in refused(answer, 422, "token-role-mismatch")["detail"]
    refused(gw.post("/admin/tokens", json={"role": "asesor"}), 422, "token-user-required")
    assert (
        gw.post(
            "/admin/tokens", json={"role": "asesor", "user": asesor["username"]}, token="dev-supervisor"
        ).status_code
        == 403
    )
    admin = issue(gw, role="admin", user="instructora.ana")
    assert admin["user"] == "instructora.ana" and admin["issuedBy"] == "admin"


def test_a_pinned_admin_issues_and_revokes_tokens_of_its_sandbox_only(gateway_client, wall_clock):
    gw = gateway_client
    assert gw.post("/admin/sandboxes", json={"name": "st"}, token="dev-admin-st").status_code == 201
    try:
        answer = gw.post("/admin/tokens", json={"role": "admin", "sandbox": "default"}, token="dev-admin-st")
        refused(answer, 403, "forbidden-sandbox")
        refused(gw.post("/admin/tokens", json={"role": "admin"}, token="dev-admin-st"), 403, "forbidden-sandbox")
        trainee = active_asesor(gw, sandbox="st")
        issued = issue(gw, "dev-admin-st", role="asesor", user=trainee["username"], sandbox="st")
        assert issued["sandbox"] == "st"
        refused(gw.get("/conversations", token=issued["token"], sandbox="default"), 403, "forbidden-sandbox")
        assert gw.get("/conversations", token=issued["token"]).status_code == 200  # its own sandbox
        unpinned = issue(gw, role="asesor", user=active_asesor(gw)["username"])
        refused(gw.delete(f"/admin/tokens/{unpinned['id']}", token="dev-admin-st"), 403, "forbidden-sandbox")
        assert gw.delete(f"/admin/tokens/{issued['id']}", token="dev-admin-st").status_code == 200
    finally:
        assert gw.delete("/admin/sandboxes/st").status_code == 200


# ---- the token's user is who acts ------------------------------------------------------------------------------
def test_a_token_user_cannot_act_for_someone_else_but_an_admin_may(gateway_client, world, wall_clock):
    gw = gateway_client
    mine, other = active_asesor(gw, 0), active_asesor(gw, 1)
    issued = issue(gw, role="asesor", user=mine["username"])
    cid, _ = queued(gw, world)
    answer = gw.post(f"/conversations/{cid}/assign", json={"advisor": other["username"]}, token=issued["token"])
    problem = refused(answer, 422, "acting-for-another")
    assert f"acts as '{mine['username']}'" in problem["detail"] and other["username"] in problem["detail"]
    assert gw.get(f"/conversations/{cid}").json()["status"] == "queued"
    admin = issue(gw, role="admin", user="instructora.ana")
    taken = gw.post(f"/conversations/{cid}/assign", json={"advisor": other["username"]}, token=admin["token"])
    assert taken.status_code == 200 and taken.json()["advisor"] == other["username"], taken.text


def test_a_token_without_a_user_still_needs_someone_named(gateway_client, world):
    cid, _ = queued(gateway_client, world)
    answer = gateway_client.post(f"/conversations/{cid}/assign", json={}, token="dev-asesor")
    assert "give 'advisor'" in refused(answer, 422, "actor-required")["detail"]


def test_the_supervisor_deciding_an_adjustment_is_the_token_user(gateway_client, wall_clock):
    gw = gateway_client
    [supervisor, *_] = agents(gw, role="supervisor", status="active")
    issued = issue(gw, role="supervisor", user=supervisor["username"])
    case_id = plant_case(gw.app.runtime)
    made = gw.post(f"/cases/{case_id}/adjustments", json={"amount": 99900, "reason": "Cobro duplicado"})
    assert made.status_code == 201 and made.json()["status"] == "pending", made.text
    adjustment = made.json()["id"]
    answer = gw.post(f"/adjustments/{adjustment}/approve", json={"supervisor": "otra.persona"}, token=issued["token"])
    refused(answer, 422, "acting-for-another")
    refused(gw.post(f"/adjustments/{adjustment}/approve", json={}, token="dev-supervisor"), 422, "actor-required")
    approved = gw.post(f"/adjustments/{adjustment}/approve", json={"notes": "Verificado"}, token=issued["token"])
    assert approved.status_code == 200, approved.text
    assert approved.json()["decidedBy"] == supervisor["username"]
    rr = gw.backoffice.client("rr").get(f"/adjustments/{adjustment}").json()
    assert rr["decided_by"] == supervisor["username"]


def test_the_pqr_answer_and_the_close_record_the_token_user(gateway_client, wall_clock):
    gw = gateway_client
    advisor = active_asesor(gw)
    issued = issue(gw, role="asesor", user=advisor["username"])
    runtime = gw.app.runtime
    case_id = plant_case(runtime, category="PQR", product="tv")
    filed = gw.post(f"/cases/{case_id}/pqr", json={"description": "Cargo no reconocido de 45.900"})
    assert filed.status_code == 201, filed.text
    pqr = filed.json()["id"]
    body = {"answer": "El cargo corresponde al paquete activado.", "favourable": False}
    refused(
        gw.post(f"/pqrs/{pqr}/answer", json=body | {"answeredBy": "otra.persona"}, token=issued["token"]),
        422,
        "acting-for-another",
    )
    answered = gw.post(f"/pqrs/{pqr}/answer", json=body, token=issued["token"])
    assert answered.status_code == 200, answered.text
    assert answered.json()["answer"]["answeredBy"] == advisor["username"]
    assert gw.get(f"/pqrs/{pqr}").json()["answer"]["answeredBy"] == advisor["username"]

    closing = plant_case(runtime, category="SAC", product="internet", status="typified")
    with runtime.crm.write("default") as db:
        db.execute(
            "UPDATE cases SET typification_code = 'SAC-FAC-04', resolved_first_contact = 1 WHERE id = ?", [closing]
        )
    close = {"outcome": "closed", "nothingPending": True}
    refused(
        gw.post(f"/cases/{closing}/close", json=close | {"closedBy": "otra.persona"}, token=issued["token"]),
        422,
        "acting-for-another",
    )
    closed = gw.post(f"/cases/{closing}/close", json=close, token=issued["token"])
    assert closed.status_code == 200, closed.text
    assert closed.json()["closedBy"] == advisor["username"]
    assert gw.get(f"/cases/{closing}").json()["closedBy"] == advisor["username"]


def test_a_configured_token_with_a_user_acts_as_that_user(gateway_client, tmp_path):
    """GATEWAY_TOKENS' `token:role[:sandbox][:user=<login>]`: the user is who decides, as with an issued token."""
    [supervisor, *_] = agents(gateway_client, role="supervisor", status="active")
    configured = f"dev-admin:admin,sup-tok:supervisor:user={supervisor['username']},plain:supervisor"
    settings = GatewaySettings(validate_responses=True, var_dir=tmp_path, tokens=parse_tokens(configured))
    app = create_app(settings)
    try:
        with in_process_client(app) as client:
            case_id = plant_case(app.runtime)
            made = client.post(
                f"/cases/{case_id}/adjustments",
                json={"amount": 99900, "reason": "Cobro duplicado"},
                headers={"Authorization": "Bearer dev-admin"},
            )
            assert made.status_code == 201, made.text
            approve = f"/adjustments/{made.json()['id']}/approve"
            as_sup = {"Authorization": "Bearer sup-tok"}
            refused(
                client.post(approve, json={"supervisor": "otra.persona"}, headers=as_sup), 422, "acting-for-another"
            )
            refused(client.post(approve, json={}, headers={"Authorization": "Bearer plain"}), 422, "actor-required")
            approved = client.post(approve, json={}, headers=as_sup)
            assert approved.status_code == 200, approved.text
            assert approved.json()["decidedBy"] == supervisor["username"]
    finally:
        app.runtime.close()


def test_another_replica_with_the_same_secret_and_store_accepts_and_revokes(gateway_client, gateway_app):
    """Two gateway apps on one VAR_DIR (replicas behind a load balancer): a token issued by one works on the other,
    a revocation made on the other is refused by the first; a replica with another secret refuses the token."""
    gw = gateway_client
    issued = issue(gw, role="asesor", user=active_asesor(gw)["username"])
    shared = gateway_app.runtime.settings.var_dir
    replica = create_app(GatewaySettings(validate_responses=True, var_dir=shared))
    stranger = create_app(
        GatewaySettings(validate_responses=True, var_dir=shared, token_secret="another-secret-of-32-characters-00")
    )
    bearer = {"Authorization": f"Bearer {issued['token']}"}
    try:
        with in_process_client(replica) as other, in_process_client(stranger) as foreign:
            assert other.get("/conversations", headers=bearer).status_code == 200
            refused(foreign.get("/conversations", headers=bearer), 401, "token-invalid")
            revoked = other.delete(f"/admin/tokens/{issued['id']}", headers={"Authorization": "Bearer dev-admin"})
            assert revoked.status_code == 200, revoked.text
        refused(gw.get("/conversations", token=issued["token"]), 401, "token-revoked")
    finally:
        replica.runtime.close()
        stranger.runtime.close()
