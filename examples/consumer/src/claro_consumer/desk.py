"""The advisor's desk as your own code would drive it over the gateway's REST API with `requests`: take a customer's
waiting WhatsApp conversation, validate their document, open a case and typify it."""

from __future__ import annotations

import requests


class GatewayError(Exception):
    """The gateway refused or failed: its problem+json (`status`, `detail`, and `system` when a back-office system
    failed)."""

    def __init__(self, problem: dict):
        super().__init__(f"{problem.get('status')} {problem.get('title')}: {problem.get('detail')}")
        self.problem = problem
        self.status = problem.get("status")
        self.system = problem.get("system")


class CareDesk:
    def __init__(self, base_url: str, token: str, sandbox: str = "default", timeout: float = 60):
        """base_url: the gateway's, e.g. http://127.0.0.1:8000/api/v1."""
        self.base_url, self.timeout = base_url.rstrip("/"), timeout
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}", "X-Sandbox": sandbox})

    def _call(self, method: str, path: str, **kw) -> dict:
        answer = self.session.request(method, f"{self.base_url}{path}", timeout=self.timeout, **kw)
        if answer.status_code >= 400:
            try:
                problem = answer.json()
            except ValueError:
                problem = {"status": answer.status_code, "detail": answer.text}
            raise GatewayError(problem)
        return answer.json()

    def active_asesores(self) -> list[str]:
        """The logins of the advisors on shift (only they may take a conversation)."""
        agents = self._call("GET", "/workforce/agents", params={"role": "asesor", "status": "active"})
        return [agent["username"] for agent in agents]

    def waiting_conversation(self, wa_id: str) -> str:
        """The id of the customer's conversation waiting in the queue for an advisor."""
        queued = self._call("GET", "/conversations", params={"status": "queued"})["conversations"]
        found = [c["id"] for c in queued if c["waId"] == wa_id]
        if not found:
            raise LookupError(f"no conversation of {wa_id} is waiting for an advisor")
        return found[0]

    def take(self, conversation_id: str, advisor: str) -> dict:
        return self._call("POST", f"/conversations/{conversation_id}/assign", json={"advisor": advisor})

    def validate_identity(self, conversation_id: str, document_number: str) -> dict:
        return self._call(
            "POST", f"/conversations/{conversation_id}/identity", json={"documentNumber": document_number}
        )

    def open_case(self, conversation_id: str, customer_id: str, account_id: str, category: str, product: str,
                  description: str) -> dict:  # fmt: skip
        body = {
            "conversationId": conversation_id,
            "customerId": customer_id,
            "accountId": account_id,
            "category": category,
            "product": product,
            "description": description,
        }
        return self._call("POST", "/cases", json=body)

    def typify(self, case_id: str, code: str, notes: str, resolved_first_contact: bool = False) -> dict:
        """The case's typification (also registered in the customer's system: an RR marking for a home account).
        The same call repeated is answered once: the case and code make its Idempotency-Key."""
        body = {"code": code, "notes": notes, "resolvedFirstContact": resolved_first_contact}
        key = {"Idempotency-Key": f"{case_id}:typify:{code}"}
        return self._call("POST", f"/cases/{case_id}/typification", json=body, headers=key)
