"""uvicorn's settings for `make run` (serve.server_config): httptools parses HTTP and, where it installs, uvloop runs
the event loop (issue 18: the pure-Python h11 and asyncio loop cost a tenth of a mock request under load); the access
log stays on and the lifespan off."""

from __future__ import annotations

import sys

import pytest
import uvloop
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from claro_backoffice import serve


async def _app(scope, receive, send):  # never called: the settings are only loaded
    raise AssertionError


def test_serve_parses_http_with_httptools_and_keeps_its_access_log():
    config = serve.server_config(_app)
    config.load()
    assert config.http_protocol_class is HttpToolsProtocol
    assert config.access_log is True and config.lifespan == "off"


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop has no Windows build")
def test_serve_runs_on_uvloop():
    loop = serve.server_config(_app).get_loop_factory()()
    try:
        assert isinstance(loop, uvloop.Loop)
    finally:
        loop.close()
