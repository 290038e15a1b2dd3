"""The replay of an attempt: the chat, the back-office calls and the case's steps, and the rubric's hits, on one time
axis (the sandbox's virtual time), in the order they happened; a screen steps through it. Calls made before the
case was opened come from the systems' journal (the case's own calls are in its timeline)."""

from __future__ import annotations

import datetime as dt


def timeline(evidence: dict, items: list[dict]) -> list[dict]:
    events: list[tuple[str, int, dict]] = []
    conversation, case = evidence.get("conversation") or {}, evidence.get("case") or {}
    steps = case.get("timeline", [])
    opened = dt.datetime.fromisoformat(steps[0]["at"]) if steps else None
    for m in conversation.get("messages", []):
        text = m.get("content") or m.get("template")
        events.append((m["sendTime"], 1, {"kind": "message", "author": m["author"], "text": text, "ref": m["id"]}))
    for j in evidence.get("journal", []):
        if opened is None or dt.datetime.fromisoformat(j["at"]) < opened:
            action = f"{j['method']} {j['path']}"
            events.append(
                (j["at"], 2, {"kind": "call", "system": j["system"], "action": action, "outcome": str(j["status"])})
            )
    for t in steps:
        events.append(
            (
                t["at"],
                3,
                {"kind": t["kind"], "system": t.get("system"), "action": t["action"], "outcome": t.get("outcome")},
            )
        )
    for item in items:
        for e in item["evidence"]:
            events.append(
                (e["at"], 4, {"kind": "rubric", "item": item["id"], "mark": item["mark"], "note": item["note"]})
            )
    events.sort(key=lambda x: (dt.datetime.fromisoformat(x[0]), x[1]))
    return [{"step": i + 1, "at": at} | e for i, (at, _, e) in enumerate(events)]
