"""The sign-in handoff in a browser (issue 17, console/handoff.py): on a replica with PEERS, a trainee's card token
for a sandbox of another group than the browser's cookie routes by is answered with the handoff page, which the
console's script posts again by itself; the browser keeps the `claro_sandbox` cookie (HttpOnly, SameSite=Lax, /)
and lands on the queue of its sandbox. There is no router here: the re-post comes back to this same server, which
is what the sandbox's replica would do with it (tests/scaleout/test_console_routing.py has nginx and three)."""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.console.conftest import ADMIN
from tests.console.test_signin_tokens import _issued_asesor
from tests.support.server import running_server

pytestmark = pytest.mark.browser
SIGNIN = re.compile(r"/console/signin$")


@pytest.fixture(scope="module")
def replica(tmp_path_factory):
    """A server that believes it has a peer (never asked here: a sign-in needs none of its answers)."""
    env = {"REPLICA_ID": "r1", "PEERS": "http://127.0.0.1:9", "GATEWAY_VALIDATE_RESPONSES": "1"}
    with running_server(tmp_path_factory.mktemp("replica"), env=env) as server:
        yield server


def test_the_handoff_page_posts_the_sign_in_again_by_itself(page: Page, replica):
    base = replica.base
    sandbox = f"aula-{uuid.uuid4().hex[:6]}--ana-1"
    created = requests.post(
        f"{base}/api/v1/admin/sandboxes", json={"name": sandbox}, headers=ADMIN | {"X-Sandbox": sandbox}, timeout=120
    )
    assert created.status_code == 201, created.text
    token, login = _issued_asesor(base, sandbox)

    page.goto(f"{base}/console/signin")
    page.get_by_test_id("signin-token").fill(token)
    # The first answer's body, kept as it passes through: once the page's script has posted it again the browser
    # no longer holds it (reading it afterwards raced the script on a busy machine). The re-post goes on untouched.
    handed: list[str] = []

    def keep_the_first_answer(route):
        if handed:
            route.continue_()
            return
        answer = route.fetch(max_redirects=0)
        handed.append(answer.text())
        route.fulfill(response=answer)

    page.route(SIGNIN, keep_the_first_answer)
    page.get_by_test_id("signin-submit").click()
    expect(page).to_have_url(re.compile(r"/console/queue$"))
    assert len(handed) == 1 and 'data-testid="handoff-form"' in handed[0]  # the page the script submitted
    expect(page.get_by_test_id("signed-in-as")).to_have_attribute("data-login", login)
    [cookie] = [c for c in page.context.cookies() if c["name"] == "claro_sandbox"]
    assert (cookie["value"], cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (sandbox, True, "Lax", "/")
