"""CCI: a mobile line's connection records (voice, data, SMS).

The only code that knows this system's URLs and JSON (openapi/mocks/cci.yaml). A page of records is a camelCase
copy of CCI's (msisdn, accountNumber, customerId, status, planCode, homeCellId, window{start, end, hours,
recordsFrom, recordsUntil}, filters, page, pageSize, total, totalPages, summary, incidents, notes, records).
CCI's window is `start` + whole `hours` (1..744).
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import CallContext, camel
from claro_backoffice.gateway.backoffice.control import ControlAPI


class CciAdapter(ControlAPI):
    system = "cci"

    def records(
        self,
        ctx: CallContext,
        msisdn: str,
        start: str,
        hours: int,
        *,
        record_type: str | None = None,
        result: str | None = None,
        page: int = 1,
        page_size: int = 50,
    ) -> dict:
        """One page of the line's records in [start, start + hours h), oldest first; unknown line: a 404."""
        params = {"start": start, "hours": hours, "page": page, "page_size": page_size}
        params |= {k: v for k, v in (("type", record_type), ("result", result)) if v}
        return camel(self.get(f"/lines/{msisdn}/records", ctx, params=params))
