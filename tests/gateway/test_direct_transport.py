"""In `make run` the gateway's adapters hand their calls to the in-process transport without requests' session
(transport/wire.py). The mock must see the very request requests would have sent, and the gateway must
make the same answer or failure of what comes back: each call below goes both ways and is compared."""

from __future__ import annotations

import pytest
import requests

from claro_backoffice.gateway.backoffice import BackofficeHttp, CallContext
from claro_backoffice.gateway.backoffice.rr import RRAdapter
from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.transport import wire
from claro_backoffice.transport.inprocess import InProcessAdapter, InProcessCaller

BASE = "http://127.0.0.1:8000/mocks/rr"
CTX = CallContext("default", request_id="req-direct-1", case_id="CAS-000777")
SETTINGS = GatewaySettings(retries=0, read_timeout=0.5)


@pytest.fixture
def both(mock_apps, mock_client):
    """(direct adapter, requests adapter, RR's control client), on one RR app and one caller."""
    control = mock_client("rr")  # resets the default sandbox (faults, journal) afterwards
    caller = InProcessCaller()
    caller.warm(mock_apps("rr"))
    transport = InProcessAdapter(caller, mock_apps("rr"), BASE)
    direct = RRAdapter(BASE, SETTINGS, BackofficeHttp(transports={BASE + "/": transport}))
    session = requests.Session()
    session.mount(BASE + "/", transport)
    through_requests = RRAdapter(BASE, SETTINGS, BackofficeHttp(session=session))
    assert direct._direct is transport and through_requests._direct is None
    yield direct, through_requests, control
    caller.close()


def journal(control, count: int) -> list[dict]:
    """The last `count` requests RR took, as it recorded them (what came over the wire), times left out."""
    entries = control.get("/__admin/requests", params={"limit": count}).json()["requests"][-count:]
    kept = ("method", "path", "query", "request_body", "status", "response_body", "request_id", "case_id")
    return [{k: e.get(k) for k in kept} for e in entries]


def outcome(call):
    try:
        return call()
    except DownstreamError as error:
        return ("failed", error.system, error.kind, error.status, error.detail)


def test_the_same_requests_reach_the_mock_and_the_same_answers_come_back(both, world):
    direct, through_requests, control = both
    party = next(p for p in world.tables["parties"] if p["segments"] == "hogar")
    account = next(a for a in world.tables["home_accounts"] if a["customer_id"] == party["customer_id"])
    calls = [
        lambda a: a.find_by_document(CTX, party["document_number"]),  # without a document type
        lambda a: a.find_by_document(CTX, party["document_number"], party["document_type"]),
        lambda a: a.find_by_phone(CTX, party["contact_mobile"]),
        lambda a: a.accounts_of(CTX, party["customer_id"]),
        lambda a: a.subscriber(CTX, "CUS99999999"),  # a 404 the adapter turns into None
        lambda a: a.account(CTX, "99999999"),  # a 404 it raises, with RR's own detail
        # A query as requests makes it: None left out, a list repeated, numbers and text outside ASCII encoded
        # (RR's strict validation answers 400 to the unknown ones: the same 400, the same query journalled).
        lambda a: a.call(
            "GET",
            "/subscribers",
            CTX,
            params={"document_number": "1 020/ñ", "document_type": None, "page": 2, "ratio": 0.5, "tag": ["a", "b"]},
        ),
        # A POST with a JSON body outside ASCII; the second way replays the first under the same key.
        lambda a: a.create_marking(
            CTX, account["account_number"], "SOP-INT-01", "asesor.premium01", "Señal: ñ", key="k1"
        ),
    ]
    for call in calls:
        first = outcome(lambda call=call: call(direct))
        seen = journal(control, 1)
        second = outcome(lambda call=call: call(through_requests))
        assert first == second, call
        assert journal(control, 1) == seen, call  # what RR took, query and body as sent
    assert journal(control, 1)[0]["request_body"]["notes"] == "Señal: ñ"


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "timeout"},
        {"kind": "drop"},
        {"kind": "malformed"},
        {"kind": "error", "status": 503},
        {"kind": "delay", "delay_ms": 700},  # longer than the read timeout
    ],
)
def test_a_fault_is_the_same_failure_either_way(both, world, fault):
    direct, through_requests, control = both
    party = next(p for p in world.tables["parties"] if p["segments"] == "hogar")
    assert control.post("/__admin/faults", json=dict(fault, path="/subscribers/*")).status_code == 201
    failures = [outcome(lambda a=a: a.subscriber(CTX, party["customer_id"])) for a in (direct, through_requests)]
    assert failures[0] == failures[1] and failures[0][0] == "failed", failures


def test_the_direct_path_is_taken_only_for_the_transports_own_prefix(mock_apps):
    caller = InProcessCaller()
    try:
        transport = InProcessAdapter(caller, mock_apps("rr"), BASE)
        elsewhere = RRAdapter("http://10.0.0.9:9000", SETTINGS, BackofficeHttp(transports={BASE + "/": transport}))
        assert elsewhere._direct is None
    finally:
        caller.close()


def test_a_session_that_adds_something_of_its_own_is_never_bypassed(mock_apps):
    """Auth, hooks, cookies or the environment read per call: requests' session must see those requests."""
    caller = InProcessCaller()
    try:
        transport = InProcessAdapter(caller, mock_apps("rr"), BASE)

        def session(**set_up):
            made = requests.Session()
            made.trust_env = False
            made.mount(BASE + "/", transport)
            for name, value in set_up.items():
                setattr(made, name, value)
            return made

        assert wire.direct(session(), BASE + "/subscribers") is transport
        assert wire.direct(session(), "http://127.0.0.1:8000/mocks/ac/subscribers") is None  # not what it serves
        assert wire.direct(session(trust_env=True), BASE + "/subscribers") is None
        assert wire.direct(session(auth=("user", "secret")), BASE + "/subscribers") is None
        assert wire.direct(session(hooks={"response": [lambda r, *a, **k: r]}), BASE + "/subscribers") is None
        with_cookie = session()
        with_cookie.cookies.set("sid", "1")
        assert wire.direct(with_cookie, BASE + "/subscribers") is None
    finally:
        caller.close()
