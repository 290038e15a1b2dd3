"""tests/support/server.py, the one way the tests start `python -m claro_backoffice.serve`: it waits through any
request error until its deadline, and a server that can't start fails the test with its own words (the log's
tail)."""

from __future__ import annotations

import socket

import pytest
import requests

from tests.support import server as helper


class _Answer:
    status_code = 200


class _Running:
    """A server process still starting."""

    returncode = None

    def poll(self):
        return None


def test_waiting_goes_on_through_any_request_error(monkeypatch, tmp_path):
    """A server busy starting may refuse, time out reading or cut the connection: none of that ends the wait (the
    old split-mode loop caught ConnectionError only, and a ReadTimeout on a loaded machine failed the test)."""
    answers = [
        requests.ConnectTimeout("connect"),
        requests.ReadTimeout("read"),
        requests.ConnectionError("cut"),
        requests.exceptions.ChunkedEncodingError("half a body"),
        _Answer(),
    ]
    asked = []

    def get(url, timeout):
        asked.append(url)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(helper.requests, "get", get)
    monkeypatch.setattr(helper.time, "sleep", lambda seconds: None)
    server = helper.Server(_Running(), 8, tmp_path / "serve.log")
    assert isinstance(helper.wait_ready(server, "/api/v1/health", deadline_s=600), _Answer)
    assert asked == ["http://127.0.0.1:8/api/v1/health"] * 5


def test_a_server_that_cannot_listen_fails_the_test_with_its_log(tmp_path):
    """A port someone else holds: serve says so in one line and exits, and the helper's failure quotes it."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with (
            pytest.raises(pytest.fail.Exception) as failed,
            helper.running_server(tmp_path, env={"PORT": str(port)}, deadline_s=120),
        ):
            pass
    message = str(failed.value)
    assert "serve exited with 1 before it listened" in message
    assert f"serve: cannot listen on 127.0.0.1:{port}: [Errno 98] Address already in use" in message
