"""The practice customer's reply rules (a scenario's `practice` section), as pure functions: which rule answers
what the advisor (or the bot) just said or did, and what the customer says then. Deterministic: the same events in
the same order always choose the same lines; nothing here reads a clock or a store.

Matching ignores case and accents on both sides ("cédula" matches "CEDULA"); a pattern is a regular expression
searched anywhere in the message (a plain keyword is one). The first rule in the file that matches an event and
may still fire (`once`, `after`) answers it; an advisor message that no rule matches gets `otherwise`, if any.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata

PLACEHOLDERS = ("document", "documentType", "firstName", "name", "accountId", "msisdn", "phone")
DEFAULT_DELAY = 15  # seconds of virtual time, when neither the rule nor the scenario says
OTHERWISE = "otherwise"
OPENING = "opening"
# The case timeline's steps (gateway/cases/*.py) as a rule's `did` names them.
STEPS = {
    "opened": "caseOpened",
    "typified": "typification",
    "closed with the customer": "close",
    "callback": "callback",
    "adjustmentRequested": "adjustment",
    "escalated": "escalation",
}


@dataclasses.dataclass(frozen=True)
class Event:
    """Something the customer can react to: a business message (`said_by` advisor or bot) or a case step / back-office
    call (`did`); `text` is what was said, or the call ("POST /modems/…") or the step's outcome (a code)."""

    at: dt.datetime
    text: str
    said_by: str | None = None
    did: str | None = None
    system: str | None = None

    def describe(self) -> str:
        if self.said_by:
            return f"{self.said_by}: {self.text}"
        return f"{self.did}{' ' + self.system if self.system else ''}: {self.text}"


@dataclasses.dataclass(frozen=True)
class Reply:
    rule: str
    lines: list[str]
    delay: int


def unaccented(text: str) -> str:
    """Accents and other combining marks removed (ñ -> n), case kept: patterns stay valid regular expressions."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def matches(patterns: list[str], text: str) -> bool:
    plain = unaccented(text)
    return any(re.search(unaccented(p), plain, re.IGNORECASE) for p in patterns)


def lines(value: str | list[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def fill(text: str, customer: dict) -> str:
    """The customer's facts in a line: {document}, {documentType}, {firstName}, {name}, {accountId}, {msisdn},
    {phone} — never written literally in a scenario, so a regenerated world changes them in one place."""
    name = " ".join(str(customer.get("name") or "").split())
    document = customer.get("document") or {}
    values = {
        "document": str(document.get("number") or ""),
        "documentType": str(document.get("type") or ""),
        "firstName": name.split(" ")[0] if name else "",
        "name": name,
        "accountId": str(customer.get("accountId") or ""),
        "msisdn": str(customer.get("msisdn") or ""),
        "phone": str(customer.get("phone") or ""),
    }
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def filled(practice: dict, customer: dict) -> dict:
    """The practice section with every line's placeholders filled from the scenario's customer."""
    out = dict(practice)
    for key in (OPENING, OTHERWISE):
        if key in practice:
            out[key] = [fill(t, customer) for t in lines(practice[key])]
    out["rules"] = [dict(r, say=[fill(t, customer) for t in lines(r["say"])]) for r in practice["rules"]]
    return out


def _applies(rule: dict, event: Event) -> bool:
    when = rule["when"]
    if "said" in when:
        by = when.get("by", "advisor")
        return event.said_by is not None and by in ("anyone", event.said_by) and matches(when["said"], event.text)
    if event.did != when["did"]:
        return False
    if when.get("system") and when["system"] != event.system:
        return False
    return "matching" not in when or matches(when["matching"], event.text)


def respond(practice: dict, event: Event, fired: dict[str, int]) -> Reply | None:
    """The reply to one event, given how many times each rule has fired so far (None: the customer stays silent)."""
    default = practice.get("delaySeconds", DEFAULT_DELAY)
    for rule in practice["rules"]:
        if rule.get("once") and fired.get(rule["id"]):
            continue
        if not all(fired.get(before) for before in rule.get("after", [])):
            continue
        if _applies(rule, event):
            return Reply(rule["id"], lines(rule["say"]), rule.get("delaySeconds", default))
    if event.said_by == "advisor" and practice.get(OTHERWISE):
        return Reply(OTHERWISE, lines(practice[OTHERWISE]), default)
    return None


def step_event(at: dt.datetime, kind: str, system: str | None, action: str, outcome: str) -> Event | None:
    """A case timeline row as an event: a back-office call, or one of the steps a rule can name (others: None)."""
    if kind == "call":
        return Event(at, action, did="call", system=system)
    did = STEPS.get(action)
    return Event(at, outcome, did=did, system=system) if did else None
