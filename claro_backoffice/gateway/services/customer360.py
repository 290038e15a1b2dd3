"""The customer 360: RR (home) and AC (mobile) asked concurrently and merged by the shared customerId.

Search: both systems are searched at once (by document, or by a normalised phone); then, at once again, the
accounts of every customer found (by document only where the document was found; by phone in both systems,
since a phone may be a contact in one system and a line in the other). `GET /customers/{id}` asks both systems
for the subscriber and their accounts in one concurrent round.

A system that fails (timeout, refused, circuit open, 5xx, malformed, dropped) is listed in `degraded` with the
reason while the other still answers; when no system could answer, the first failure is the problem (504/503/502)
with every system's detail. A system's 4xx (an unknown sandbox) is the client's problem and is raised as is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Executor

from claro_backoffice.core.systems import HOME, MOBILE
from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.domain_errors import NotFound, RuleBroken
from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.services import shapes
from claro_backoffice.gateway.services.fanout import all_failed, gather, split
from claro_backoffice.world.phones import InvalidPhone, normalise_phone

ASKED = (HOME, MOBILE)  # also the order `degraded` lists them in


class Customer360:
    def __init__(self, backoffice: Backoffice, executor: Executor) -> None:
        self.adapters = {s: backoffice.account_holder(s) for s in ASKED}
        self.executor = executor

    # ---- search ------------------------------------------------------------------------------------------------
    def search(
        self,
        ctx: CallContext,
        base: str,
        *,
        document_type: str | None = None,
        document_number: str | None = None,
        phone: str | None = None,
    ) -> tuple[list, list]:
        """(views, degraded): the 360 view of every matching customer, and the systems that could not answer."""
        if bool(document_number) == bool(phone):
            raise RuleBroken(
                "give either documentNumber (optionally with documentType) or phone, not "
                f"{'both' if phone else 'neither'}",
                "search-criteria",
            )
        if document_type and not document_number:
            raise RuleBroken("documentType goes with documentNumber", "search-criteria")
        if phone:
            try:
                national = normalise_phone(phone)
            except InvalidPhone as exc:
                raise RuleBroken(str(exc), "invalid-phone") from exc
            calls = {s: functools.partial(a.find_by_phone, ctx, national) for s, a in self.adapters.items()}
        else:
            assert document_number  # exactly one of documentNumber and phone (checked above)
            calls = {
                s: functools.partial(a.find_by_document, ctx, document_number, document_type)
                for s, a in self.adapters.items()
            }
        found, failed = split(gather(self.executor, calls))
        if not found:
            raise all_failed(list(failed.values()))
        customers: dict[str, dict] = {}
        for system, subscribers in found.items():
            for subscriber in subscribers:
                customers.setdefault(subscriber["customerId"], {})[system] = subscriber
        wanted = {
            (cid, s): functools.partial(self.adapters[s].accounts_of, ctx, cid)
            for cid, by_system in customers.items()
            for s in found
            if phone or s in by_system
        }
        accounts = gather(self.executor, wanted)
        split({k: v for k, v in accounts.items() if isinstance(v, DownstreamError)})  # a 4xx is raised here
        views = []
        for cid in sorted(customers):
            errors = dict(failed)
            errors.update({s: accounts[(cid, s)] for s in found if isinstance(accounts.get((cid, s)), DownstreamError)})
            home, mobile = self._accounts(accounts, cid, HOME, errors), self._accounts(accounts, cid, MOBILE, errors)
            views.append(
                shapes.customer_360(
                    cid, customers[cid], home, mobile, [errors[s].as_dict() for s in ASKED if s in errors], base
                )
            )
        degraded = {d["system"]: d for view in views for d in view["degraded"]}
        degraded.update({s: e.as_dict() for s, e in failed.items()})
        return views, [degraded[s] for s in ASKED if s in degraded]

    @staticmethod
    def _accounts(accounts: dict, cid: str, system: str, errors: dict) -> list | None:
        if system in errors:
            return None
        value = accounts.get((cid, system))
        return value or []

    # ---- one customer ------------------------------------------------------------------------------------------
    def get(self, ctx: CallContext, base: str, customer_id: str) -> dict:
        calls: dict[tuple[str, str], Callable[[], object]] = {}
        for system, adapter in self.adapters.items():
            calls[(system, "subscriber")] = functools.partial(adapter.subscriber, ctx, customer_id)
            calls[(system, "accounts")] = functools.partial(adapter.accounts_of, ctx, customer_id)
        answers, failures = split(gather(self.executor, calls))
        errors: dict[str, DownstreamError] = {}
        for (system, _), error in failures.items():
            errors.setdefault(system, error)
        subscribers = {
            s: answers[(s, "subscriber")] for s in ASKED if s not in errors and answers.get((s, "subscriber"))
        }
        if not subscribers:
            if errors:
                raise all_failed([errors[s] for s in ASKED if s in errors])
            raise NotFound(
                f"customer {customer_id} is neither in RR (home) nor in AC (mobile)",
                "customer-not-found",
                system="rr,ac",
            )
        home, mobile = (None if s in errors else (answers.get((s, "accounts")) or []) for s in (HOME, MOBILE))
        return shapes.customer_360(
            customer_id, subscribers, home, mobile, [errors[s].as_dict() for s in ASKED if s in errors], base
        )
