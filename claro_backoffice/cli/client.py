"""The client commands' one way to the gateway's API: the base URL and token every command takes, and the two ways
a call fails that a pipeline must tell apart (the server said no: exit 1; nobody answered: exit 3)."""

from __future__ import annotations

import argparse
import os
from typing import Any

import requests

OK, FAILED, USAGE, UNREACHABLE = 0, 1, 2, 3  # the exit codes (README "Command line")
DEFAULT_URL = "http://127.0.0.1:8000"
TIMEOUT = (5, 300)  # (connect, read) seconds: loading a scenario or creating a sandbox can take a while


class Unreachable(Exception):
    """Nothing answered at the URL (refused, unresolvable, timed out)."""


class Failed(Exception):
    """The server answered with an error: the message is what to print (a problem's title and detail)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def connection_options(parser: argparse.ArgumentParser) -> None:
    """--url and --token, each defaulting to its environment variable (read when the command runs)."""
    parser.add_argument(
        "--url",
        default=None,
        help=f"the server's base URL (env CLARO_BACKOFFICE_URL, default {DEFAULT_URL})",
    )
    parser.add_argument(
        "--token", default=None, help="an admin bearer token for the gateway (env CLARO_BACKOFFICE_TOKEN)"
    )


def base_url(args: argparse.Namespace) -> str:
    return (args.url or os.environ.get("CLARO_BACKOFFICE_URL") or DEFAULT_URL).rstrip("/")


class Gateway:
    """Calls to URL/api/v1 with the bearer token; an answer outside 2xx is a Failed, no answer an Unreachable."""

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url
        self.token = token
        self.http = requests.Session()
        self.http.trust_env = False  # a proxy set for the internet must not stand between a pipeline and its server

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Gateway:
        return cls(base_url(args), args.token or os.environ.get("CLARO_BACKOFFICE_TOKEN") or None)

    def call(
        self,
        method: str,
        path: str,
        *,
        sandbox: str | None = None,
        token: str | None = None,
        json: Any = None,
        params: dict | None = None,
    ) -> Any:
        headers = {}
        bearer = token or self.token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        if sandbox:
            headers["X-Sandbox"] = sandbox
        try:
            response = self.http.request(
                method, f"{self.url}/api/v1{path}", headers=headers, json=json, params=params, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            raise Unreachable(unreachable(self.url, exc)) from None
        if not response.ok:
            raise Failed(failure(response, bearer is not None), response.status_code)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:  # something else listens there
            raise Failed(
                f"{response.status_code} with a body that is not JSON: is {self.url} a claro-backoffice server?",
                response.status_code,
            ) from None


def unreachable(url: str, exc: BaseException) -> str:
    """One line: which URL, and why in a few words (not urllib3's nested reprs)."""
    if isinstance(exc, requests.Timeout):
        why = "no answer in time"
    elif isinstance(exc, requests.ConnectionError):
        why = "connection refused or host unknown"
    else:
        why = type(exc).__name__
    return f"cannot reach the back office at {url} ({why})"


def failure(response: requests.Response, had_token: bool) -> str:
    """A problem+json as `STATUS title: detail`; another body as its status and first line."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and ("title" in body or "detail" in body):
        text = f"{response.status_code} {body.get('title', '')}".rstrip()
        if body.get("detail"):
            text += f": {body['detail']}"
    else:
        first = response.text.strip().splitlines()[0][:200] if response.text.strip() else response.reason
        text = f"{response.status_code} {first}"
    if response.status_code == 401 and not had_token:
        text += " (give an admin token: --token or CLARO_BACKOFFICE_TOKEN)"
    return text
