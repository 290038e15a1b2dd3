"""TMF shapes of what RR and AC answer (already camelCase from the adapters).

TMF666 BillingAccount (`state` takes the values TMF666 names: Active, Suspended), extended as HomeBillingAccount
and MobileBillingAccount; TMF629 Customer extended as Customer360; home services and mobile lines carry TMF637
ProductStatusType values (active, suspended). Each extension names its schema in `@schemaLocation`: the gateway's
own spec, at `<base>/openapi.json#/components/schemas/<type>`.
"""

from __future__ import annotations

from claro_backoffice.core.systems import HOME, MOBILE

ACCOUNT_STATE = {"activo": "Active", "activa": "Active", "suspendido": "Suspended", "suspendida": "Suspended"}
PRODUCT_STATUS = {
    "activo": "active",
    "activa": "active",
    "suspendido": "suspended",
    "suspendida": "suspended",
    "bloqueada": "suspended",
}


def schema_location(base: str, type_: str) -> str:
    return f"{base}/openapi.json#/components/schemas/{type_}"


def party_name(subscriber: dict | None) -> str | None:
    if not subscriber:
        return None
    if subscriber.get("businessName"):
        return subscriber["businessName"]
    return " ".join(p for p in (subscriber.get("firstName"), subscriber.get("lastName")) if p) or None


def related_customer(customer_id: str, name: str | None, base: str) -> dict:
    return {
        "id": customer_id,
        "href": f"{base}/customers/{customer_id}",
        "name": name or customer_id,
        "role": "customer",
        "@referredType": "Customer",
    }


def _account(account: dict, type_: str, account_type: str, system: str, name: str, party: dict, base: str) -> dict:
    number = account["accountNumber"]
    return {
        "id": number,
        "href": f"{base}/billingAccounts/{number}",
        "name": name,
        "accountType": account_type,
        "state": ACCOUNT_STATE.get(account["status"], "Suspended"),
        "relatedParty": [party],
        "@type": type_,
        "@baseType": "BillingAccount",
        "@schemaLocation": schema_location(base, type_),
        "system": system,
        "billingCycle": account["billingCycle"],
        "createdAt": account.get("createdAt"),
    }


def home_service(service: dict) -> dict:
    return {
        "id": service["serviceId"],
        "serviceType": service["serviceType"],
        "name": service["planName"],
        "status": PRODUCT_STATUS.get(service["status"], "suspended"),
        "technology": service.get("technology"),
        "downMbps": service.get("downMbps"),
        "upMbps": service.get("upMbps"),
        "channels": service.get("channels"),
        "fixedLine": service.get("fixedLine"),
        "monthlyFee": service["monthlyFee"],
    }


def home_account(account: dict, party: dict, base: str) -> dict:
    view = _account(
        account, "HomeBillingAccount", "hogar", "rr", f"Cuenta hogar {account['accountNumber']}", party, base
    )
    view.update(
        {
            "address": {
                "street": account["address"],
                "municipality": account["municipality"],
                "municipalityCode": account["municipalityCode"],
                "department": account.get("department"),
                "departmentCode": account["departmentCode"],
            },
            "estrato": account["estrato"],
            "node": account["node"],
            "cuentaMatriz": account.get("cuentaMatriz"),
            "services": [home_service(s) for s in account["services"]],
        }
    )
    return view


def mobile_line(line: dict) -> dict:
    plan = line["plan"]
    return {
        "id": line["msisdn"],
        "msisdn": line["msisdn"],
        "accountId": line["accountNumber"],
        "lineType": line["lineType"],
        "status": PRODUCT_STATUS.get(line["status"], "suspended"),
        "statusReason": line.get("suspensionReason"),
        "activationDate": line.get("activationDate"),
        "iccid": line.get("iccid"),
        "imei": line.get("imei"),
        "deviceModel": line.get("deviceModel"),
        "volteCapable": line.get("volteCapable"),
        "portedFrom": line.get("portedFrom"),
        "homeCellId": line.get("homeCellId"),
        "plan": {
            k: plan.get(k)
            for k in (
                "planCode",
                "name",
                "lineType",
                "dataGb",
                "minutes",
                "sms",
                "friendsAndFamilyMax",
                "volteAllowed",
                "sharedDataGb",
                "monthlyFee",
            )
        },
    }


def mobile_account(account: dict, party: dict, base: str) -> dict:
    view = _account(
        account,
        "MobileBillingAccount",
        account["billingType"],
        "ac",
        f"Cuenta móvil {account['accountNumber']}",
        party,
        base,
    )
    view["lines"] = [mobile_line(line) for line in account["lines"]]
    return view


def _contact_media(subscribers: list[dict]) -> list[dict]:
    media, seen = [], set()
    for sub in subscribers:
        if sub.get("email") and ("email", sub["email"]) not in seen:
            seen.add(("email", sub["email"]))
            media.append({"mediumType": "email", "preferred": False, "characteristic": {"emailAddress": sub["email"]}})
        if sub.get("contactMobile") and ("phone", sub["contactMobile"]) not in seen:
            seen.add(("phone", sub["contactMobile"]))
            media.append(
                {
                    "mediumType": "phone",
                    "preferred": True,
                    "characteristic": {"phoneNumber": sub["contactMobile"], "contactType": "mobile"},
                }
            )
    return media


def _ref(view: dict) -> dict:
    return {"id": view["id"], "href": view["href"], "name": view["name"], "@referredType": view["@type"]}


def customer_360(
    customer_id: str, subscribers: dict, home: list | None, mobile: list | None, degraded: list, base: str
) -> dict:
    """subscribers: system -> subscriber record; home / mobile: accounts (None: unknown, the system failed)."""
    records = [subscribers[s] for s in (HOME, MOBILE) if subscribers.get(s)]  # the home record names the party first
    main = records[0]
    name = party_name(main) or customer_id
    party = related_customer(customer_id, name, base)
    homes = [home_account(a, party, base) for a in home or []]
    mobiles = [mobile_account(a, party, base) for a in mobile or []]
    systems = [s for s, accounts in (("rr", home), ("ac", mobile)) if subscribers.get(s) or accounts]
    return {
        "id": customer_id,
        "href": f"{base}/customers/{customer_id}",
        "name": name,
        "customerId": customer_id,
        "engagedParty": {
            "id": customer_id,
            "name": name,
            "role": "customer",
            "@referredType": "Organization" if main["documentType"] == "NIT" else "Individual",
        },
        "identity": {
            "documentType": main["documentType"],
            "documentNumber": main["documentNumber"],
            "givenName": main.get("firstName"),
            "familyName": main.get("lastName"),
            "tradingName": main.get("businessName"),
            "birthDate": main.get("birthDate"),
        },
        "premium": any(r.get("premium") for r in records),
        "segment": main.get("segment"),
        "customerSince": main.get("customerSince"),
        "systems": systems,
        "contactMedium": _contact_media(records),
        "account": [_ref(v) for v in homes + mobiles],
        "homeAccounts": homes,
        "mobileLines": [line for account in mobiles for line in account["lines"]],
        "degraded": degraded,
        "@type": "Customer360",
        "@baseType": "Customer",
        "@schemaLocation": schema_location(base, "Customer360"),
    }
