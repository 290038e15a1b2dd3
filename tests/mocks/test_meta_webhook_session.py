"""Meta's webhooks take the session `make run` gives them (its own gateway mounted in-process) only for the URLs
that session serves itself; any other receiver gets a session of its own per delivery, as before, so a developer's
own webhook never sees a kept-alive connection it may have closed meanwhile."""

from __future__ import annotations

import requests

from claro_backoffice.mocks.meta import webhook

OWN = "http://127.0.0.1:8000/api/v1"


class OwnGateway(requests.adapters.BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def send(self, request, **kwargs):
        self.urls.append(request.url)
        answer = requests.Response()
        answer.status_code, answer.url, answer.request = 200, request.url, request
        answer._content = b"EVENT_RECEIVED"
        return answer

    def close(self) -> None:
        pass


def _session() -> tuple[requests.Session, OwnGateway, OwnGateway]:
    """A session serving OWN itself, whose connections to anywhere else (its "http://" adapter) are recorded too."""
    own, pooled = OwnGateway(), OwnGateway()
    session = requests.Session()
    session.mount("http://", pooled)
    session.mount(OWN + "/", own)
    return session, own, pooled


def test_a_webhook_to_the_servers_own_gateway_goes_through_the_given_session():
    session, own, pooled = _session()
    result = webhook.post(f"{OWN}/whatsapp/webhook", b"{}", {"Content-Type": "application/json"}, 2.0, session)
    assert (result["outcome"], result["status_code"]) == ("delivered", 200)
    assert own.urls == [f"{OWN}/whatsapp/webhook"] and pooled.urls == []


def test_a_webhook_anywhere_else_takes_a_session_of_its_own():
    session, own, pooled = _session()
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    result = webhook.post("http://127.0.0.1:9/hook", b"{}", {"Content-Type": "application/json"}, 2.0, session)
    assert result["outcome"] == "unreachable" and result["status_code"] is None, result
    assert own.urls == [] and pooled.urls == [], "the given session was not used"
    checked = webhook.verify("http://127.0.0.1:9/hook", "token", "123", "default", 2.0, session)
    assert checked["outcome"] == "unreachable" and own.urls == [] and pooled.urls == []
