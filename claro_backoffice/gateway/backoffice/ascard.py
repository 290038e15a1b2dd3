"""ASCARD: credits charged to a home or mobile account (device financing, payment behaviour).

The only code that knows this system's URLs and JSON (openapi/mocks/ascard.yaml). Answers are camelCase copies of
ASCARD's records: credit summaries (creditId, customerId, accountNumber, system rr|ac, productLine hogar|movil,
product, imei, principal, currency, installmentCount, installmentAmount, startDate, installmentsPaid,
installmentsOverdue, installmentsPending, outstandingBalance, overdueAmount, daysPastDue, nextDueDate, status
al_dia|en_mora|pagado, paymentBehaviour).
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI


class AscardAdapter(ControlAPI):
    system = "ascard"

    def customer_credits(self, ctx: CallContext, customer_id: str) -> list:
        """Every credit of the customer on any account (possibly none); a customer ASCARD does not know is a 404
        DownstreamError naming ASCARD."""
        return camel(self.get(f"/customers/{customer_id}/credits", ctx)["credits"])
