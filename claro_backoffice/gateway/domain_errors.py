"""What the domain (gateway/cases, gateway/services) raises when a request can't be done: plain exceptions that
know nothing of HTTP frameworks. Each class is one kind of refusal; gateway/edge.py, the one place at the API
edge, renders them as problem+json with the class's status. A failing system is DownstreamError (gateway/errors.py).

`kind` names the problem type (…/problems/<kind>); `ext` holds the body's extension members (ids, `results`, …).
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with the detail a user needs to act on it; raise one of the subclasses, which set `status`."""

    status: int

    def __init__(self, detail: str, kind: str | None = None, /, **ext: object) -> None:
        super().__init__(detail)
        self.detail, self.kind, self.ext = detail, kind, ext

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.detail!r}, {self.kind!r})"


class NotFound(DomainError):
    """What the request names does not exist (404)."""

    status = 404


class Conflict(DomainError):
    """The thing exists but its state forbids this now (409)."""

    status = 409


class RuleBroken(DomainError):
    """The request is well formed but breaks a business rule (422)."""

    status = 422
