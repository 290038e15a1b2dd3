"""`wait --url URL --timeout S`: exit 0 once GET URL/api/v1/health answers 200; exit 3 at the timeout, saying what
it last got. A timeout of 0 asks once."""

from __future__ import annotations

from tests.cli.fake import fake_server

DOWN = {"status": "warn", "sandbox": "default", "systems": [{"system": "rr", "status": "down"}, {"system": "ac"}]}


def test_a_served_back_office_is_up_at_once(run, server):
    ran = run("wait", "--url", server.base, "--timeout", "0")
    assert ran.code == 0 and ran.out == f"wait: {server.base} is up\n"


def test_nothing_listening_is_exit_3_naming_the_url(run, refused_url):
    ran = run("wait", "--url", refused_url, "--timeout", "0")
    assert ran.code == 3
    assert ran.err == (
        f"wait: {refused_url} not ready after 0 s: cannot reach the back office at {refused_url} "
        "(connection refused or host unknown)\n"
    )


def test_a_503_health_check_is_exit_3_naming_the_systems_down(run):
    with fake_server(lambda *request: (503, DOWN)) as fake:
        ran = run("wait", "--url", fake.url, "--timeout", "0")
    assert ran.code == 3
    assert ran.err == f"wait: {fake.url} not ready after 0 s: the health check answered 503 (down: rr)\n"
    assert [(a.method, a.path) for a in fake.asked] == [("GET", "/api/v1/health")]


def test_it_waits_until_the_health_check_answers_200(run):
    statuses = [503, 503, 200]
    with fake_server(lambda *request: (statuses.pop(0), DOWN)) as fake:
        ran = run("wait", "--url", fake.url, "--timeout", "600")
    assert ran.code == 0 and statuses == []
    assert len(fake.asked) == 3
