"""Playing the customer over HTTP, through Meta's simulator (as the console's customer view does): write, and tap
the bot's buttons until the conversation is queued for an advisor."""

from __future__ import annotations

import requests


def tap(meta: str, sandbox: str, wa_id: str, button_id: str) -> None:
    """Tap `button_id` on the newest business message that offers it."""
    headers = {"X-Sandbox": sandbox}
    chat = requests.get(f"{meta}/simulator/customers/{wa_id}/conversation", headers=headers, timeout=60).json()
    offering = [
        m
        for m in chat["messages"]
        if m["direction"] == "outbound"
        and any(
            b.get("reply", {}).get("id") == button_id
            for b in (((m.get("content") or {}).get("interactive") or {}).get("action") or {}).get("buttons", [])
        )
    ]
    assert offering, f"no business message offers {button_id}: {[m['text'] for m in chat['messages']]}"
    body = {"button_reply": {"context_wamid": offering[-1]["wamid"], "id": button_id}}
    answer = requests.post(f"{meta}/simulator/customers/{wa_id}/messages", json=body, headers=headers, timeout=60)
    assert answer.status_code == 201, answer.text


def queue_a_conversation(base: str, sandbox: str, wa_id: str) -> None:
    meta = f"{base}/mocks/meta"
    headers = {"X-Sandbox": sandbox}
    wrote = requests.post(
        f"{meta}/simulator/customers/{wa_id}/messages", json={"text": "Hola"}, headers=headers, timeout=60
    )
    assert wrote.status_code == 201, wrote.text
    tap(meta, sandbox, wa_id, "consent_yes")
    tap(meta, sandbox, wa_id, "asesor_si")
