"""Every case scenario of scenarios/ played whole, in-process, each in its own sandbox: from the first WhatsApp
message (signed through Meta's simulator) to the survey and the follow-up close-out, with the handling its
`expected` lists done through the gateway and each system's resulting state checked (tests/flow/handling.py)."""

from __future__ import annotations

import pytest

from claro_backoffice.gateway.services import scenarios
from tests.flow.driver import InProcess
from tests.flow.flows import new_sandbox, play
from tests.flow.handling import AFTER, HANDLERS
from tests.flow.test_scenarios import CHANNEL_ONLY


def test_every_case_scenario_has_a_flow():
    assert sorted(HANDLERS) == sorted(set(scenarios.names()) - set(CHANNEL_ONLY))


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_the_scenario_plays_out_end_to_end(gateway_client, name):
    sandbox = f"flow-{name}"[:40]
    d = new_sandbox(InProcess(gateway_client), sandbox)
    try:
        final = play(d, name, HANDLERS[name], AFTER.get(name))
        assert final["status"] == "closed" and final["outcome"] == scenarios.read(name)["expected"]["outcome"]
    finally:
        assert gateway_client.delete(f"/admin/sandboxes/{sandbox}").status_code == 200
