"""Scoring one attempt: the rubric's automatic items computed from frozen evidence (the conversation and its
messages, the case and its timeline, the systems' journal), each mark with the evidence behind it; manual items
take the trainer's marks. Pure: the same evidence, rubric and marks always give the same report.

Evidence (gateway/training/evidence.py freezes it): {scenario: {name, expected, customer}, advisor: {login,
firstName}, conversation: GET /conversations/{id} or null, case: GET /cases/{id} or null, journal: [{system, at,
method, path, status}], endedAt}. A mark is 1 (met), 0 (not met) or None (does not apply: out of the denominator).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from claro_backoffice.core.calendar import in_contact_hours
from claro_backoffice.gateway.cases import bot

FIRST_REPLY_SECONDS = 600  # PUNTUALIDAD: the first advisor message "antes de 10 minutos"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
CLOSING_MARK = bot.CLOSING.split("{name}", 1)[1].split(".")[0]  # ", fue un gusto atenderte"
WELCOME_MARK = bot.ADVISOR_WELCOME.split("{advisor}", 1)[0].split("}", 1)[1]  # "! Te saluda "


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _msg(m: dict) -> dict:
    return {"type": "message", "at": m["sendTime"], "id": m["id"], "author": m["author"], "text": m.get("content")}


def _entry(t: dict) -> dict:
    return {"type": "timeline", "at": t["at"], "kind": t["kind"], "system": t.get("system"), "action": t["action"]}


def _journal(j: dict) -> dict:
    return {"type": "journal", "at": j["at"], "system": j["system"], "action": f"{j['method']} {j['path']}"}


class Marks:
    """One attempt's automatic checks, by the rubric's `check` names."""

    def __init__(self, evidence: dict, hold_patterns: list[str], silence_minutes: int):
        self.e = evidence
        self.expected = evidence["scenario"]["expected"]
        self.customer = evidence["scenario"]["customer"]
        self.conversation = evidence.get("conversation") or {}
        self.case = evidence.get("case") or {}
        self.messages = [m for m in self.conversation.get("messages", []) if m.get("state") != "failed"]
        self.hold = [re.compile(_plain(p)) for p in hold_patterns]
        self.silence = dt.timedelta(minutes=silence_minutes)
        document = self.conversation.get("document") or {}
        self.validated_at = _at(document["validatedAt"]) if document.get("validatedAt") else None

    def checks(self) -> dict[str, Callable[[], tuple[int | None, list[dict], str]]]:
        return {
            "welcome": self.welcome,
            "timeliness": self.timeliness,
            "identityFirst": self.identity_first,
            "systemsInOrder": self.systems_in_order,
            "typification": self.typification,
            "pqr": self.pqr,
            "outcome": self.outcome,
            "closing": self.closing,
            "personalData": self.personal_data,
        }

    # ---- helpers ------------------------------------------------------------------------------------------------
    def _advisor(self) -> list[dict]:
        return [m for m in self.messages if m["author"] == "advisor"]

    def _typed(self) -> list[dict]:
        """What the trainee wrote (the welcome, the resolution question and the closing script are the system's)."""
        scripted = (WELCOME_MARK, CLOSING_MARK, "¿Hay algo más en lo que pueda ayudarte?")
        return [m for m in self._advisor() if not any(s in (m.get("content") or "") for s in scripted)]

    def _unverified(self, m: dict) -> bool:
        return self.validated_at is None or _at(m["sendTime"]) < self.validated_at

    def _expects_case(self) -> bool:
        return bool(self.expected.get("typificationCode"))

    # ---- the checks ----------------------------------------------------------------------------------------------
    def welcome(self) -> tuple[int | None, list[dict], str]:
        first = self._advisor()[:1]
        name = self.e["advisor"].get("firstName") or ""
        if not first:
            return 0, [], "the conversation was never taken: no welcome"
        ok = bool(name) and f"{WELCOME_MARK}{name}" in (first[0].get("content") or "")
        return int(ok), [_msg(first[0])], f"welcome {'names' if ok else 'does not name'} the advisor ({name})"

    def timeliness(self) -> tuple[int | None, list[dict], str]:
        c = self.conversation
        if not c.get("advisorRequestedAt"):
            return None, [], "the customer never asked for an advisor"
        if not c.get("firstAdvisorMessageAt"):
            return 0, [], "no advisor ever answered"
        waited = (_at(c["firstAdvisorMessageAt"]) - _at(c["advisorRequestedAt"])).total_seconds()
        evidence = [_msg(m) for m in self._advisor()[:1]]
        if waited >= FIRST_REPLY_SECONDS:
            return 0, evidence, f"first reply after {waited / 60:.1f} min (10 min at most)"
        silences = self._silences()
        if silences:
            return 0, evidence + [e for pair in silences for e in pair], f"{len(silences)} silence(s) without hold"
        return 1, evidence, f"first reply after {waited / 60:.1f} min; no silence over {self.silence}"

    def _silences(self) -> list[list[dict]]:
        """A customer message answered (or left) more than the silence allowance later, when the advisor's message
        before it was not a hold message; only while the advisor had the chat (assigned to closed or the end)."""
        start = _at(self.conversation["assignedAt"]) if self.conversation.get("assignedAt") else None
        end = _at(self.conversation.get("closedAt") or self.e["endedAt"])
        found, last_advisor, waiting = [], None, None
        for m in self.messages:
            at = _at(m["sendTime"])
            if start is None or at < start or at > end:
                continue
            if m["author"] == "customer" and waiting is None:
                on_hold = last_advisor is not None and any(
                    p.search(_plain(last_advisor.get("content") or "")) for p in self.hold
                )
                waiting = None if on_hold else m
            elif m["author"] == "advisor":
                if waiting is not None and at - _at(waiting["sendTime"]) > self.silence:
                    found.append([_msg(waiting), _msg(m)])
                waiting, last_advisor = None, m
        if waiting is not None and end - _at(waiting["sendTime"]) > self.silence:
            found.append([_msg(waiting)])
        return found

    def _facts(self, kinds: tuple[str, ...]) -> list[str]:
        c = self.customer
        facts = []
        if "account" in kinds:
            facts += [str(a["id"]) for a in c.get("accounts", [])]
            facts += [str(ln["msisdn"]) for ln in c.get("lines", []) if ln.get("msisdn") != str(c.get("phone"))]
        if "personal" in kinds:
            facts.append(str(c["document"]["number"]))
            if c["document"]["type"] != "NIT" and len(str(c.get("name") or "").split()) > 1:
                facts.append(str(c["name"]))  # a person's whole name (the scripts use the first name only)
        return [f for f in facts if f]

    def _disclosures(self, kinds: tuple[str, ...]) -> list[dict]:
        facts = self._facts(kinds)
        return [
            _msg(m) for m in self._typed() if self._unverified(m) and any(f in (m.get("content") or "") for f in facts)
        ]

    def identity_first(self) -> tuple[int | None, list[dict], str]:
        said = self._disclosures(("account",))
        changed = [
            _journal(j)
            for j in self.e.get("journal", [])
            if j["method"] in WRITES
            and j["system"] != "meta"
            and (self.validated_at is None or _at(j["at"]) < self.validated_at)
        ]
        if said or changed:
            return 0, said + changed, "account data disclosed or changed before identity was validated"
        when = self.validated_at.isoformat() if self.validated_at else "never"
        return 1, [], f"identity validated {when}; nothing disclosed or changed before"

    def personal_data(self) -> tuple[int | None, list[dict], str]:
        said = self._disclosures(("personal",))
        if said:
            return 0, said, "personal data given to a person not validated"
        return 1, [], "no personal data given before identity was validated"

    def _calls(self) -> list[dict]:
        return [t for t in self.case.get("timeline", []) if t["kind"] == "call" and t.get("system") != "meta"]

    def systems_in_order(self) -> tuple[int | None, list[dict], str]:
        order = self.expected.get("order")
        if not order:
            return None, [], "the scenario names no order"
        calls = self._calls()
        firsts: dict[str, int] = {}
        for index, t in enumerate(calls):
            firsts.setdefault(t["system"], index)
        consulted = set(firsts) | {j["system"] for j in self.e.get("journal", []) if j["system"] != "meta"}
        missing = [s for s in self.expected.get("systems", []) + order if s not in consulted]
        positions = [firsts.get(s) for s in order]
        in_order = None not in positions and positions == sorted(positions)  # type: ignore[type-var]
        evidence = [_entry(calls[firsts[s]]) for s in order if s in firsts]
        if missing or not in_order:
            seen = ", ".join(sorted(firsts, key=firsts.__getitem__)) or "none"
            lacking = ", ".join(dict.fromkeys(missing)) or "none"
            return 0, evidence, f"expected {', '.join(order)} in order (consulted {seen}; missing {lacking})"
        return 1, evidence, f"consulted {', '.join(order)} in order"

    def _steps(self, action: str) -> list[dict]:
        return [t for t in self.case.get("timeline", []) if t["kind"] == "step" and t["action"] == action]

    def typification(self) -> tuple[int | None, list[dict], str]:
        if not self._expects_case():
            return None, [], "no typification expected"
        code = (self.case.get("typification") or {}).get("code")
        ok = code == self.expected["typificationCode"]
        return (
            int(ok),
            [_entry(t) for t in self._steps("typified")],
            f"typified {code or 'nothing'}, expected {self.expected['typificationCode']}",
        )

    def pqr(self) -> tuple[int | None, list[dict], str]:
        if not self._expects_case():
            return None, [], "no case expected"
        filed = self._steps("pqr filed")
        needed = bool(self.expected.get("pqr"))
        with_cun = bool(filed) and all(t.get("outcome") for t in filed)
        ok = (with_cun and len(filed) == 1) if needed else not filed
        what = f"{len(filed)} PQR filed" + (f" (CUN {filed[0].get('outcome')})" if filed else "")
        return int(ok), [_entry(t) for t in filed], f"{what}; {'one with its CUN' if needed else 'none'} needed"

    def outcome(self) -> tuple[int | None, list[dict], str]:
        expected = self.expected.get("outcome")
        if not expected:
            return None, [], "no outcome expected"
        case = self.case
        evidence = [_entry(t) for t in self._steps("closed with the customer")]
        problems = []
        if case.get("outcome") != expected:
            problems.append(f"outcome {case.get('outcome')}, expected {expected}")
        if expected == "followUp":
            if case.get("followUpType") != self.expected.get("followUpType"):
                problems.append(f"follow-up {case.get('followUpType')}, expected {self.expected.get('followUpType')}")
            callback = case.get("callbackAt")
            if not callback or not in_contact_hours(_at(callback)):
                problems.append(f"callback {callback or 'none'} not within contact hours")
        return (0 if problems else 1), evidence, "; ".join(problems) or f"closed as {expected} as expected"

    def closing(self) -> tuple[int | None, list[dict], str]:
        if not self._expects_case():
            return None, [], "no case expected"
        script = [m for m in self._advisor() if CLOSING_MARK in (m.get("content") or "")]
        survey = (self.case.get("survey") or {}).get("requestedAt")
        invite = [m for m in self.messages if m["author"] == "bot" and survey and m["sendTime"] >= survey]
        ok = bool(script) and bool(survey)
        return int(ok), [_msg(m) for m in script + invite[:1]], "closing script and survey" + ("" if ok else " missing")


def score(rubric: dict, evidence: dict, manual: dict[str, dict], silence_minutes: int) -> dict:
    """The report's score part: each item with its mark and evidence; `manual`: item id -> {met, comment, by, at}."""
    marks = Marks(evidence, rubric["holdPatterns"], silence_minutes).checks()
    items = []
    for item in rubric["items"]:
        base = {k: item.get(k) for k in ("id", "title", "steps", "weight", "kind")}
        base |= {"critical": bool(item.get("critical")), "fatal": bool(item.get("fatal"))}
        if item["kind"] == "automatic":
            mark, found, note = marks[item["check"]]()
            items.append(base | {"mark": mark, "applies": mark is not None, "note": note, "evidence": found})
        else:
            given = manual.get(item["id"])
            mark = None if given is None else int(bool(given["met"]))
            note = "not marked yet" if given is None else given.get("comment") or ""
            items.append(
                base
                | {"mark": mark, "applies": mark is not None, "note": note, "evidence": [], "pending": given is None}
            )
    counted = [i for i in items if i["mark"] is not None]
    total = sum(i["weight"] for i in counted)
    got = sum(i["weight"] * i["mark"] for i in counted)
    value = round(100 * got / total, 2) if total else 0.0
    fatal = [i["id"] for i in items if i["fatal"] and i["mark"] == 0]
    critical = [i["id"] for i in items if i["critical"] and i["mark"] == 0]
    return {
        "score": value,
        "points": got,
        "outOf": total,
        "passThreshold": rubric["passThreshold"],
        "passed": value >= rubric["passThreshold"] and not fatal,
        "fatalFailures": fatal,
        "criticalFailures": critical,
        "pendingManual": [i["id"] for i in items if i.get("pending")],
        "procedure": rubric["procedure"],
        "rubricVersion": rubric["version"],
        "items": items,
    }
