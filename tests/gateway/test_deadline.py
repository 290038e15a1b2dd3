"""A gateway request keeps to one deadline (GATEWAY_DEADLINE), in virtual time: AC answering after 6 s used to cost
a 360 three tries of 5 s (15.3 s); now it answers degraded, naming AC, within the 8 s."""

from __future__ import annotations

import pytest
import requests
from requests.adapters import HTTPAdapter

from claro_backoffice.gateway.app import create_app
from claro_backoffice.gateway.backoffice import BackofficeHttp
from claro_backoffice.gateway.settings import GatewaySettings
from tests.support.backoffice import FakeClock
from tests.support.inprocess_client import in_process_client

CUSTOMER = "CUS00000006"  # home accounts in RR and mobile lines in AC


class SlowSystem(HTTPAdapter):
    """A system that answers `delay` seconds of virtual time after a request: a try whose read timeout is shorter
    spends that timeout on the clock and gets requests' ReadTimeout, as over a socket; a longer one is passed on
    (to the in-process back office's `responses`) after the delay."""

    def __init__(self, clock: FakeClock, delay: float):
        super().__init__()
        self.clock, self.delay, self.timeouts = clock, delay, []

    def send(self, request, stream=False, timeout=None, **kwargs):
        self.timeouts.append(timeout)
        connect, read = timeout
        if read < self.delay:
            self.clock.advance(read)
            raise requests.ReadTimeout(f"{request.url}: no answer in {read} s", request=request)
        self.clock.advance(self.delay)
        return super().send(request, stream=stream, timeout=timeout, **kwargs)


@pytest.fixture
def slow_ac_gateway(backoffice, tmp_path):
    """A gateway whose AC answers after 6 s of virtual time; one worker, so the virtual clock adds up the calls one
    after the other (two concurrent calls would each advance it)."""
    clock, sleeps = FakeClock(), []

    def sleep(seconds):
        sleeps.append(seconds)
        clock.advance(seconds)

    settings = GatewaySettings(validate_responses=True, var_dir=tmp_path, workers=1)
    ac = SlowSystem(clock, delay=6.0)
    app = create_app(
        settings,
        BackofficeHttp(
            sleep=sleep, clock=clock, jitter=lambda: 0.5, transports={settings.backoffice_urls["ac"] + "/": ac}
        ),
    )
    with in_process_client(app) as client:
        yield client, clock, sleeps, ac
    app.runtime.close()


def test_a_360_with_ac_delayed_answers_degraded_within_the_deadline(slow_ac_gateway, backoffice):
    client, clock, sleeps, ac = slow_ac_gateway
    started = clock()
    response = client.get(f"/customers/{CUSTOMER}", headers={"Authorization": "Bearer dev-asesor"})
    assert response.status_code == 200, response.text
    view = response.json()
    assert [(d["system"], d["reason"]) for d in view["degraded"]] == [("ac", "timeout")]
    assert response.headers["X-Degraded-Systems"] == "ac"
    assert view["systems"] == ["rr"] and view["homeAccounts"]
    assert clock() - started <= 8.0, "within GATEWAY_DEADLINE (8 s) of virtual time"
    # AC's subscriber call: a first try of 5 s, a backoff of 0.075 s (0.1 × 3/4), a second try with the 2.925 s
    # left; no third try and no backoff past the deadline. AC's accounts call comes after it: no time left, not made.
    assert ac.timeouts == [(2.0, 5.0), (2.0, pytest.approx(2.925))]
    assert sleeps == [pytest.approx(0.075)]
    assert clock() - started == pytest.approx(8.0)
    assert [c.path for c in backoffice.calls_to("rr")] == [
        f"/subscribers/{CUSTOMER}",
        f"/subscribers/{CUSTOMER}/accounts",
    ]


def test_each_try_waits_no_longer_than_the_request_has_left(backoffice, tmp_path):
    """GATEWAY_DEADLINE 3 s, read timeout 5 s: the first try already waits only 3 s, and nothing is retried."""
    clock = FakeClock()
    settings = GatewaySettings.from_env({"GATEWAY_DEADLINE": "3"}, validate_responses=True, var_dir=tmp_path, workers=1)
    ac = SlowSystem(clock, delay=6.0)
    app = create_app(
        settings,
        BackofficeHttp(
            sleep=clock.advance, clock=clock, jitter=lambda: 0.0, transports={settings.backoffice_urls["ac"] + "/": ac}
        ),
    )
    try:
        with in_process_client(app) as client:
            response = client.get("/billingAccounts/1523884606", headers={"Authorization": "Bearer dev-asesor"})
    finally:
        app.runtime.close()
    assert response.status_code == 504 and response.json()["system"] == "ac"
    assert ac.timeouts == [(2.0, 3.0)]
    assert clock.now == 1003.0


def test_the_deadline_setting_is_checked():
    assert GatewaySettings.from_env({}).deadline == 8.0
    with pytest.raises(ValueError, match="GATEWAY_DEADLINE"):
        GatewaySettings.from_env({"GATEWAY_DEADLINE": "0"})
