"""The live view's case (what the console's live screen shows beside the chat): null until the trainee opens one,
then its state, typification code and the CUN of the PQR filed, as the attempt stands and in the frozen report.
`unrecognised-charge` is the scenario whose key (`expected`) calls for a PQR: typified PQR-FAC-01, closed in
follow-up of type PQR."""

from __future__ import annotations

import re

from claro_backoffice.gateway.services import scenarios
from tests.flow.driver import InProcess
from tests.flow.flows import START
from tests.training.test_training_api import TRAINER, trainer
from tests.training.trainee import Trainee

SCENARIO = "unrecognised-charge"


def test_the_live_view_and_the_report_carry_the_case_state_code_and_cun(gateway_client):
    planned = trainer(
        gateway_client,
        "POST",
        "/sessions",
        201,
        json={"class": "aula-case", "trainees": ["ana"], "scenarios": [SCENARIO]},
    )
    [attempt] = planned["attempts"]
    admin = InProcess(gateway_client).in_sandbox(attempt["sandbox"])
    try:
        admin.ok("POST", "/admin/clock", json={"set": START, "frozen": True})
        session = planned["id"]
        live = f"/sessions/{session}/attempts/{attempt['id']}/live"
        assert trainer(gateway_client, "GET", live)["case"] is None  # planned: nothing yet
        trainer(gateway_client, "POST", f"/sessions/{session}/start")
        t = Trainee(InProcess(gateway_client, attempt["sandbox"], attempt["token"]), admin, attempt)
        t.take()
        assert trainer(gateway_client, "GET", live)["case"] is None  # the chat is taken, no case opened yet
        t.validate()
        opened = trainer(gateway_client, "GET", live)["case"]
        assert opened == {
            "id": t.run.case,
            "status": "open",
            "code": None,
            "codeDescription": None,
            "cun": None,
            "outcome": None,
            "followUpType": None,
        }
        t.handle()
        t.close()
        handled = trainer(gateway_client, "GET", live)["case"]
        expected = scenarios.read(SCENARIO)["expected"]
        assert (handled["status"], handled["code"]) == ("followUp", expected["typificationCode"])
        assert (handled["outcome"], handled["followUpType"]) == ("followUp", "PQR")
        assert re.fullmatch(r"\d+", handled["cun"] or ""), handled
        pqrs = t.d.ok("GET", "/pqrs", params={"customerId": t.customer["customerId"], "limit": 100})
        assert handled["cun"] in str(pqrs)  # the CUN the PQR system gave, not one made up
        trainer(gateway_client, "POST", f"/sessions/{session}/finish")
        report = trainer(gateway_client, "GET", f"/sessions/{session}/attempts/{attempt['id']}")
        assert report["case"] == handled  # frozen with the evidence
    finally:
        gateway_client.delete(f"/admin/sandboxes/{attempt['sandbox']}")


def test_a_trainer_reads_the_scenario_catalogue_to_choose_a_session_s_scenarios(gateway_client):
    answer = gateway_client.get("/admin/scenarios", token=TRAINER)
    assert answer.status_code == 200, answer.text
    entry = next(s for s in answer.json()["scenarios"] if s["name"] == SCENARIO)
    assert entry["title"] == scenarios.read(SCENARIO)["title"]
    assert gateway_client.get("/admin/scenarios", token="dev-asesor").status_code == 403  # still not an asesor's
