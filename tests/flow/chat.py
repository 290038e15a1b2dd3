"""The customer's side of a WhatsApp chat, played through Meta's simulator (signed webhooks to the gateway)."""

from __future__ import annotations


class Chat:
    def __init__(self, gateway_client, wa_id: str, sandbox: str = "default"):
        self.gw, self.wa_id, self.sandbox = gateway_client, wa_id, sandbox
        self.meta = gateway_client.backoffice.client("meta")

    def say(self, text: str, **extra) -> dict:
        """The customer writes; returns Meta's record of the webhook delivery (asserted answered 200)."""
        answer = self.meta.post(
            f"/simulator/customers/{self.wa_id}/messages",
            json={"text": text, **extra},
            headers={"X-Sandbox": self.sandbox},
        )
        assert answer.status_code == 201, answer.text
        delivery = answer.json()["delivery"]
        assert delivery["status_code"] == 200, delivery
        return answer.json()

    def received(self) -> list[str]:
        """What the customer received from the business, oldest first (texts, template names)."""
        answer = self.meta.get(f"/simulator/customers/{self.wa_id}/conversation", headers={"X-Sandbox": self.sandbox})
        assert answer.status_code == 200, answer.text
        return [
            m.get("text")
            or (m.get("content") or {}).get("text", {}).get("body")
            or m.get("template_name")
            or str(m.get("content"))
            for m in answer.json()["messages"]
            if m["direction"] == "outbound"
        ]

    def last(self) -> str:
        return self.received()[-1]
