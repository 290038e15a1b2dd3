"""Issue 12, item 6: a request body is at most MAX_BODY_BYTES (1 MiB by default), chunked or not, through a socket
or the in-process transport: a 413 problem+json, nothing stored. And a problem's detail never repeats more than
100 characters of a submitted value (connexion's and jsonschema's messages used to repeat a 5 MB field whole)."""

from __future__ import annotations

import asyncio
import re

import pytest
import requests

from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.mocks.kit.settings import MockSettings
from tests.support.server import running_server

MIB = 1024 * 1024
JSON = {"Content-Type": "application/json"}


def _padded(size: int) -> bytes:
    """A JSON object of exactly `size` bytes."""
    head, tail = b'{"note": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def _assert_413(answer, limit: int = MIB):
    assert answer.status_code == 413, answer.text[:300]
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 413 and problem["title"] == "Content Too Large"
    assert problem["detail"] == f"the request body is larger than {limit} bytes (MAX_BODY_BYTES)"
    return problem


def test_a_body_over_a_mib_is_a_413_and_opens_no_case(gateway_client):
    _assert_413(gateway_client.post("/cases", content=_padded(MIB + 1), headers=JSON, token="dev-asesor"))
    assert gateway_client.get("/cases").json()["total"] == 0


def test_a_body_of_exactly_a_mib_is_read(gateway_client):
    answer = gateway_client.post("/cases", content=_padded(MIB), headers=JSON, token="dev-asesor")
    assert answer.status_code == 400, answer.text[:300]  # validated, not refused for its size
    assert "note" in answer.json()["detail"]


def test_the_limit_holds_for_a_mock_through_the_in_process_transport(mock_client):
    rr = mock_client("rr")
    problem = _assert_413(rr.post("/__admin/faults", content=_padded(MIB + 1), headers=JSON))
    assert problem["system"] == "rr"
    assert rr.get("/__admin/faults").json() == {"faults": []}


def _asgi_post(app, path: str, chunks: list[bytes]) -> tuple[int, bytes]:
    """An ASGI request whose body comes in several messages and with no Content-Length, as a chunked one does."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"content-type", b"application/json"),
            (b"transfer-encoding", b"chunked"),
            (b"authorization", b"Bearer dev-asesor"),
        ],
        "client": ("127.0.0.1", 0),
        "server": ("testserver", 80),
        "extensions": {},
    }
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    answer = {"status": 0, "body": b""}

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(app(scope, receive, send))
    finally:
        loop.close()
    return answer["status"], answer["body"]


def test_a_chunked_body_over_the_limit_is_a_413_and_under_it_is_read(gateway_app):
    status, body = _asgi_post(gateway_app, "/cases", [b'{"note": "' + b"x" * 400_000] * 3 + [b'"}'])
    assert status == 413 and b"MAX_BODY_BYTES" in body
    status, body = _asgi_post(gateway_app, "/cases", [b'{"note": ', b'"x"}'])
    assert status == 400 and b"'note' was unexpected" in body, body  # read and validated, not taken for empty


def test_max_body_bytes_is_a_setting_of_the_gateway_and_the_mocks():
    assert GatewaySettings().max_body_bytes == MockSettings().max_body_bytes == MIB
    assert GatewaySettings.from_env({"MAX_BODY_BYTES": "2048"}).max_body_bytes == 2048
    assert MockSettings.from_env({"MAX_BODY_BYTES": "2048"}).max_body_bytes == 2048
    for settings in (GatewaySettings, MockSettings):
        with pytest.raises(ValueError, match="MAX_BODY_BYTES"):
            settings.from_env({"MAX_BODY_BYTES": "0"})


def test_over_a_real_socket_chunked_or_not(tmp_path):
    with running_server(tmp_path, env={"MAX_BODY_BYTES": "4096"}) as server:

        def chunked(size: int):
            body = _padded(size)
            yield from (body[i : i + 1000] for i in range(0, len(body), 1000))

        for url in (f"{server.base}/api/v1/cases", f"{server.base}/mocks/rr/__admin/faults"):
            _assert_413(requests.post(url, data=chunked(5000), headers=JSON, timeout=30), 4096)
            _assert_413(requests.post(url, data=_padded(5000), headers=JSON, timeout=30), 4096)
        fault = b'{"kind": "error", "status": 503, "path": "/nothing/*"}'
        taken = requests.post(
            f"{server.base}/mocks/rr/__admin/faults", data=iter([fault[:20], fault[20:]]), headers=JSON, timeout=30
        )
        assert taken.status_code == 201, taken.text
        assert len(requests.get(f"{server.base}/mocks/rr/__admin/faults", timeout=30).json()["faults"]) == 1


# ---- details that quote what was sent ------------------------------------------------------------------------------
def _longest_run(text: str, char: str) -> int:
    return max((len(m) for m in re.findall(f"{re.escape(char)}+", text)), default=0)


def _assert_clipped(answer, char: str = "x"):
    assert answer.status_code == 400, answer.text[:300]
    detail = answer.json()["detail"]
    assert _longest_run(detail, char) <= 100 and len(detail) < 400, detail[:500]
    return detail


def test_a_huge_value_is_not_repeated_in_the_detail(gateway_client):
    detail = _assert_clipped(gateway_client.post("/admin/sandboxes", json={"name": "x" * 1_000_000}))
    assert "does not match" in detail and "name" in detail
    _assert_clipped(gateway_client.post("/admin/sandboxes", json={"x" * 100_000: 1, "name": "ok"}))
    detail = _assert_clipped(gateway_client.post("/admin/sandboxes", json={"name": ["a b"] * 100_000}))
    assert detail.count("a b") <= 34
    _assert_clipped(gateway_client.get("/coverage", params={"lat": "x" * 5000, "lon": "-74.08"}))
    _assert_clipped(gateway_client.get("/coverage", params={"lat": "4.6", "lon": "-74.08", "x" * 5000: "1"}))


def test_a_mock_does_not_repeat_a_huge_value_either(mock_client):
    rr = mock_client("rr")
    _assert_clipped(rr.post("/__admin/faults", json={"kind": "x" * 1_000_000, "status": 500, "path": "/x"}))
    sara = mock_client("sara")
    _assert_clipped(sara.get("/cells", params={"latitude": "x" * 5000, "longitude": "-74.08"}))
