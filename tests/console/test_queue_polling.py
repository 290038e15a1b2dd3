"""The queue's rows, which the page polls every 2 s, cost the gateway one call (issue 18: the console's polling
dominated the server's load): the queued conversations and the advisor's open chats come in one
`GET /conversations?status=queued&status=assigned&status=closingQuestion`; only when they don't all fit in its 500
does the console fall back to one call per status. The gateway here is a recording stand-in answering from a list."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import requests

from claro_backoffice.console.app import create_app
from claro_backoffice.console.sessions import COOKIE
from claro_backoffice.console.settings import ConsoleSettings

AS_OF = "2026-11-04T09:10:00-05:00"


def _conversation(cid: str, status: str, advisor: str | None = None) -> dict:
    return {
        "id": cid,
        "status": status,
        "advisor": advisor,
        "waId": "573001234567",
        "profileName": f"Cliente {cid}",
        "entry": "base",
        "advisorRequestedAt": "2026-11-04T09:00:00-05:00",
        "assignedAt": "2026-11-04T09:05:00-05:00",
    }


class Gateway(requests.adapters.BaseAdapter):
    """GET /conversations over `held`, filtered by every status asked; `total` may claim more than it answers."""

    def __init__(self, held: list[dict], claimed_total: int | None = None) -> None:
        super().__init__()
        self.held, self.claimed_total, self.asked = held, claimed_total, []

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        statuses = parse_qs(url.query).get("status", [])
        self.asked.append((url.path, sorted(statuses)))
        found = [c for c in self.held if c["status"] in statuses]
        answer = requests.Response()
        answer.status_code, answer.url, answer.request = 200, request.url, request
        body = {"conversations": found, "total": self.claimed_total or len(found), "asOf": AS_OF}
        answer._content = json.dumps(body).encode()
        answer.headers["Content-Type"] = "application/json"
        return answer

    def close(self) -> None:
        pass


def _rows(gateway: Gateway) -> str:
    http = requests.Session()
    http.mount("http://gateway.test/", gateway)
    app = create_app(ConsoleSettings(gateway_url="http://gateway.test/api/v1"), http)
    session = app.config["SESSIONS"].new()  # signed in as the console's sign-in leaves it (auth._start)
    session.token, session.sandbox, session.advisor = "dev-asesor", "default", "asesor.uno"
    client = app.test_client()
    client.set_cookie(COOKIE, session.id)
    answer = client.get("/queue/rows")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


HELD = [
    _conversation("CNV-000001", "queued"),
    _conversation("CNV-000002", "assigned", "asesor.uno"),
    _conversation("CNV-000003", "assigned", "asesor.dos"),
    _conversation("CNV-000004", "closingQuestion", "asesor.uno"),
    _conversation("CNV-000005", "closed", "asesor.uno"),
]


def test_the_queue_poll_reads_the_queue_and_my_chats_in_one_call():
    gateway = Gateway(HELD)
    page = _rows(gateway)
    assert gateway.asked == [("/api/v1/conversations", ["assigned", "closingQuestion", "queued"])]
    assert page.count('data-testid="queue-row"') == 1 and 'data-conversation-id="CNV-000001"' in page
    assert "10 min 00 s" in page  # asked for an advisor at 09:00, the sandbox says 09:10
    mine = [
        cid
        for cid in ("CNV-000002", "CNV-000003", "CNV-000004", "CNV-000005")
        if f'data-testid="my-conversation" data-conversation-id="{cid}"' in page
    ]
    assert mine == ["CNV-000002", "CNV-000004"]  # mine, open: not the other advisor's, not the closed one


def test_when_they_do_not_fit_in_one_answer_each_status_is_read_alone():
    gateway = Gateway(HELD, claimed_total=1_200)  # more than one answer's 500
    page = _rows(gateway)
    assert gateway.asked == [
        ("/api/v1/conversations", ["assigned", "closingQuestion", "queued"]),
        ("/api/v1/conversations", ["queued"]),
        ("/api/v1/conversations", ["assigned"]),
        ("/api/v1/conversations", ["closingQuestion"]),
    ]
    assert page.count('data-testid="queue-row"') == 1
    assert 'data-conversation-id="CNV-000002"' in page and 'data-conversation-id="CNV-000004"' in page
