"""What a trainee does in an attempt's sandbox with the token the session gave them, against the scenario's practice
customer, and virtual time passing (the harness moves each sandbox's frozen clock with the admin token). The good
handling reuses the flow tests' back-office handling of each scenario (tests/flow/handling.py)."""

from __future__ import annotations

from claro_backoffice.gateway.services import scenarios
from tests.flow.driver import Driver
from tests.flow.flows import CALLBACK, Run
from tests.flow.handling import HANDLERS


class Trainee:
    def __init__(self, d: Driver, admin: Driver, attempt: dict):
        self.d, self.admin, self.attempt = d, admin, attempt
        scenario = scenarios.read(attempt["scenario"])
        c = scenario["customer"]
        phone = str(c["phone"])
        self.expected = scenario["expected"]
        self.customer = {
            "customerId": c["customerId"],
            "name": c.get("name"),
            "document": {"type": c["document"]["type"], "number": str(c["document"]["number"])},
            "phone": {"waId": "57" + phone, "national": phone},
            "accountId": c.get("accountId"),
            "msisdn": c.get("msisdn"),
        }
        self.run = Run(d, attempt["scenario"], {"expected": self.expected, "customer": self.customer}, "57" + phone)

    def later(self, seconds: int) -> None:
        self.admin.ok("POST", "/admin/clock", json={"advance": f"PT{seconds}S"})
        self.d.ok("GET", "/conversations")  # the screen polls: the practice customer says what is due

    def write(self, text: str) -> None:
        self.d.ok("POST", f"/conversations/{self.run.conversation}/messages", 201, json={"text": text})

    def take(self) -> None:
        self.later(10)
        self.later(10)  # consent, then "SI" to an advisor
        [queued] = self.d.ok("GET", "/conversations", params={"status": "queued"})["conversations"]
        self.run.conversation = queued["id"]
        taken = self.d.ok("POST", f"/conversations/{self.run.conversation}/assign", json={})
        self.run.advisor = taken["advisor"]
        self.later(20)  # the customer tells the problem

    def validate(self) -> None:
        self.write("Con gusto te ayudo. ¿Me confirmas tu número de documento, por favor?")
        self.later(20)
        number = self.customer["document"]["number"]
        self.d.ok("POST", f"/conversations/{self.run.conversation}/identity", json={"documentNumber": number})
        body = {
            "conversationId": self.run.conversation,
            "customerId": self.customer["customerId"],
            "category": self.expected["category"],
            "product": self.expected["product"],
            "description": "Lo que el cliente contó",
        }
        body |= {k: self.customer[k] for k in ("accountId", "msisdn") if self.customer.get(k)}
        self.run.case = self.d.ok("POST", "/cases", 201, json=body)["id"]

    def close(self) -> None:
        body = {"outcome": self.expected["outcome"], "nothingPending": True}
        if self.expected["outcome"] == "followUp":
            body |= {"followUpType": self.expected["followUpType"], "callbackAt": CALLBACK}
        self.d.ok("POST", f"/cases/{self.run.case}/close", json=body)
        self.later(20)  # "No, eso era todo": the closing script and the survey
        self.later(20)  # the survey's answer

    def handle(self) -> None:
        """The scenario's back-office handling; then the customer's reactions to it are answered before closing (a
        reaction arriving with the "¿Hay algo más?" would be read as a "yes")."""
        HANDLERS[self.attempt["scenario"]](self.run)
        self.later(20)
        self.write("Listo, quedó registrado y te confirmo que tu solicitud está gestionada.")
        self.later(20)

    def good(self) -> None:
        self.take()
        self.validate()
        self.handle()
        self.close()

    def discloses_first(self) -> None:
        """Tells the account's number before asking who is writing (fatal), then handles the case well."""
        self.take()
        self.write(f"Veo la cuenta {self.customer['accountId'] or self.customer['msisdn']}; ya te ayudo")
        self.later(20)
        self.validate()
        self.handle()
        self.close()

    def slow(self) -> None:
        """Leaves the customer's problem unanswered 4 virtual minutes with no hold message, then handles it well."""
        self.take()
        self.later(240)
        self.validate()
        self.handle()
        self.close()

    def never_closes(self) -> None:
        """Handles the case but never closes it: no outcome, no closing script, no survey."""
        self.take()
        self.validate()
        self.handle()
