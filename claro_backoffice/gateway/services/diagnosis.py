"""Home diagnosis (POST /homeDiagnostics): Diagnosticador's modem/ONT check of a home account, the incidents that
affect the account (each a TMF656 serviceProblem carrying its AVISO) and the typification code it suggests.

Two concurrent calls to Diagnosticador: the check (with the service the customer reports, internet by default)
and the account's incidents; `incidents` keeps those still open or resolved (closed and cancelled ones no longer
affect the account). Any failure is the mapped problem naming Diagnosticador (the diagnosis is one system's
answer: nothing to degrade to); an unknown account, or an account without the service, is its 404.
"""

from __future__ import annotations

import functools
from concurrent.futures import Executor

from claro_backoffice.gateway.backoffice import Backoffice
from claro_backoffice.gateway.backoffice.base import CallContext
from claro_backoffice.gateway.services.fanout import gather, split
from claro_backoffice.gateway.services.service_problems import from_diagnosticador
from claro_backoffice.gateway.services.shapes import schema_location

TYPE = "HomeDiagnostic"
GONE = ("closed", "cancelled")


def home_diagnostic(
    backoffice: Backoffice, executor: Executor, ctx: CallContext, base: str, account_id: str, service: str | None = None
) -> dict:
    diagnosticador = backoffice.diagnosticador
    answers, failures = split(
        gather(
            executor,
            {
                "check": functools.partial(diagnosticador.modem_check, ctx, account_id, service),
                "incidents": functools.partial(diagnosticador.account_incidents, ctx, account_id),
            },
        )
    )
    if failures:
        raise failures.get("check") or failures["incidents"]
    check = answers["check"]
    typification = check.get("typification")
    return {
        "accountId": check["accountNumber"],
        "customerId": check["customerId"],
        "node": check["node"],
        "accountState": "Active" if check["accountStatus"] == "activo" else "Suspended",
        "service": check["service"],
        "checkedAt": check["checkedAt"],
        "navigationEnabled": check["navigationEnabled"],
        "modem": check.get("modem"),
        "findings": check["findings"],
        "suggestedTypification": None
        if typification is None
        else {
            "code": typification["code"],
            "category": typification["category"],
            "product": typification.get("product"),
            "source": typification.get("source"),
            "description": typification.get("description"),
        },
        "aviso": check.get("aviso"),
        "incidents": [from_diagnosticador(i, base) for i in answers["incidents"] if i["state"] not in GONE],
        "billingAccount": {
            "id": check["accountNumber"],
            "href": f"{base}/billingAccounts/{check['accountNumber']}",
            "name": f"Cuenta hogar {check['accountNumber']}",
            "@referredType": "HomeBillingAccount",
        },
        "@type": TYPE,
        "@schemaLocation": schema_location(base, TYPE),
    }
