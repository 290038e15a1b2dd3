"""The same scenario flows as test_scenario_flows.py, over real HTTP against `python -m claro_backoffice.serve` on a
loopback port (a temporary VAR_DIR; Meta's simulator delivers its signed webhooks to that server's gateway): every
case scenario, each in its own sandbox, one server start."""

from __future__ import annotations

import pytest
import requests

from tests.flow.driver import OverHttp
from tests.flow.flows import new_sandbox, play
from tests.flow.handling import AFTER, HANDLERS
from tests.support.server import running_server

OVER_HTTP = tuple(sorted(HANDLERS))  # every case scenario, as in-process


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # GATEWAY_URL is left to serve.py, which builds it from the port it bound: Meta's webhooks find this gateway.
    with running_server(tmp_path_factory.mktemp("flows-http")) as started:
        yield started.base


@pytest.mark.parametrize("name", OVER_HTTP)
def test_the_scenario_plays_out_over_http(server, name):
    with requests.Session() as session:
        root = OverHttp(server, session=session)
        sandbox = f"http-{name}"[:40]
        d = new_sandbox(root, sandbox)
        try:
            final = play(d, name, HANDLERS[name], AFTER.get(name))
            assert final["status"] == "closed" and bool(final["closedOutAt"]) == (final["outcome"] == "followUp")
        finally:
            assert root.gw("DELETE", f"/admin/sandboxes/{sandbox}").status_code == 200
