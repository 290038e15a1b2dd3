"""RR (AS400), home customers: the only code that knows RR's URLs and JSON (openapi/mocks/rr.yaml).

Answers are camelCase copies of RR's records: subscribers (customerId, documentType, documentNumber, firstName,
lastName, businessName, email, contactMobile, premium, segment, customerSince, accounts) and accounts with their
services (accountNumber, status activo|suspendido, address, municipality, estrato, node, cuentaMatriz,
billingCycle, services[serviceId, serviceType, planName, downMbps, upMbps, channels, fixedLine, technology,
monthlyFee, status]).
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.adjustments import AdjustmentsAPI
from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI
from claro_backoffice.gateway.errors import DownstreamError

NOT_A_SUBSCRIBER = ("subscriber-not-found",)


class RRAdapter(AdjustmentsAPI, ControlAPI):
    system = "rr"

    def find_by_document(self, ctx: CallContext, document_number: str, document_type: str | None = None) -> list:
        params = {"document_number": document_number} | ({"document_type": document_type} if document_type else {})
        try:
            return camel(self.get("/subscribers", ctx, params=params)["subscribers"])
        except DownstreamError as error:  # the gateway checked the document first (world/identifiers.py)
            raise self.rejected(error) from error

    def find_by_phone(self, ctx: CallContext, phone: str) -> list:
        """Subscribers whose contact mobile, or the fixed line of one of their accounts, is `phone` (10 digits)."""
        return camel(self.get(f"/phones/{phone}/subscribers", ctx)["subscribers"])

    def subscriber(self, ctx: CallContext, customer_id: str) -> dict | None:
        """None when the customer has no home subscription."""
        return camel(self.optional(f"/subscribers/{customer_id}", ctx, not_found_kinds=NOT_A_SUBSCRIBER))

    def accounts_of(self, ctx: CallContext, customer_id: str) -> list | None:
        """The customer's home accounts with their services; None when the customer has no home subscription."""
        body = self.optional(f"/subscribers/{customer_id}/accounts", ctx, not_found_kinds=NOT_A_SUBSCRIBER)
        return None if body is None else camel(body["accounts"])

    def account(self, ctx: CallContext, account_number: str) -> dict:
        """A home account with its services; an unknown one is a 404 DownstreamError naming RR."""
        return camel(self.get(f"/accounts/{account_number}", ctx))

    def create_marking(
        self,
        ctx: CallContext,
        account_number: str,
        code: str,
        advisor: str,
        notes: str = "",
        resolved_first_contact: bool = False,
        cun: str | None = None,
        key: str | None = None,
    ) -> dict:
        """Register an F22 marking (never retried: a POST; `key`: its Idempotency-Key)."""
        body = {"code": code, "advisor": advisor, "notes": notes, "resolved_first_contact": resolved_first_contact}
        if cun:
            body["cun"] = cun
        return camel(
            self.answer(self.call("POST", f"/accounts/{account_number}/markings", ctx, json=body, key=key), 201)
        )

    def folders(self, ctx: CallContext, account_number: str) -> list[dict]:
        return camel(self.get(f"/accounts/{account_number}/folders", ctx)["folders"])

    def create_folder(
        self, ctx: CallContext, account_number: str, name: str, advisor: str, key: str | None = None
    ) -> dict:
        """Create a note folder (F7+F6); an existing one is RR's 409 (never retried: a POST)."""
        body = {"name": name, "advisor": advisor}
        return camel(
            self.answer(self.call("POST", f"/accounts/{account_number}/folders", ctx, json=body, key=key), 201)
        )

    def add_folder_note(
        self, ctx: CallContext, account_number: str, folder: str, text: str, advisor: str, key: str | None = None
    ) -> dict:
        body = {"text": text, "advisor": advisor}
        return camel(
            self.answer(
                self.call("POST", f"/accounts/{account_number}/folders/{folder}/notes", ctx, json=body, key=key), 201
            )
        )
