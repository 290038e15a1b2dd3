"""AC, mobile customers: the only code that knows AC's URLs and JSON (openapi/mocks/ac.yaml).

Answers are camelCase copies of AC's records: subscribers (as RR's) and accounts (accountNumber, billingType
postpago|prepago, status activa|suspendida, billingCycle, lines[msisdn, lineType, status activa|suspendida|
bloqueada, suspensionReason, activationDate, iccid, imei, deviceModel, volteCapable, portedFrom, homeCellId,
plan{planCode, name, dataGb, minutes, sms, friendsAndFamilyMax, volteAllowed, sharedDataGb, monthlyFee}]).
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.adjustments import AdjustmentsAPI
from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI
from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.world.phones import is_mobile

NOT_A_SUBSCRIBER = ("subscriber-not-found",)


class ACAdapter(AdjustmentsAPI, ControlAPI):
    system = "ac"

    def find_by_document(self, ctx: CallContext, document_number: str, document_type: str | None = None) -> list:
        params = {"document_number": document_number} | ({"document_type": document_type} if document_type else {})
        try:
            return camel(self.get("/subscribers", ctx, params=params)["subscribers"])
        except DownstreamError as error:  # the gateway checked the document first (world/identifiers.py)
            raise self.rejected(error) from error

    def find_by_phone(self, ctx: CallContext, phone: str) -> list:
        """Subscribers holding the line `phone` or having it as contact mobile; a fixed line is no AC line: []."""
        if not is_mobile(phone):
            return []
        return camel(self.get(f"/msisdns/{phone}/subscribers", ctx)["subscribers"])

    def subscriber(self, ctx: CallContext, customer_id: str) -> dict | None:
        return camel(self.optional(f"/subscribers/{customer_id}", ctx, not_found_kinds=NOT_A_SUBSCRIBER))

    def accounts_of(self, ctx: CallContext, customer_id: str) -> list | None:
        """The customer's mobile accounts with their lines and plans; None when not a mobile customer."""
        body = self.optional(f"/subscribers/{customer_id}/accounts", ctx, not_found_kinds=NOT_A_SUBSCRIBER)
        return None if body is None else camel(body["accounts"])

    def account(self, ctx: CallContext, account_number: str) -> dict:
        """A mobile account with its lines; an unknown one is a 404 DownstreamError naming AC."""
        return camel(self.get(f"/accounts/{account_number}", ctx))

    def line(self, ctx: CallContext, msisdn: str) -> dict:
        return camel(self.get(f"/lines/{msisdn}", ctx))

    def create_tickler(
        self,
        ctx: CallContext,
        account_number: str,
        code: str,
        text: str,
        advisor: str,
        msisdn: str | None = None,
        resolved_first_contact: bool = False,
        cun: str | None = None,
        key: str | None = None,
    ) -> dict:
        """Leave a tickler on the account (never retried: a POST; `key`: its Idempotency-Key)."""
        body = {"code": code, "text": text, "advisor": advisor, "resolved_first_contact": resolved_first_contact}
        body |= ({"msisdn": msisdn} if msisdn else {}) | ({"cun": cun} if cun else {})
        return camel(
            self.answer(self.call("POST", f"/accounts/{account_number}/ticklers", ctx, json=body, key=key), 201)
        )
