"""CMAX's HTTP surface: each view is named after its operationId in openapi/mocks/cmax.yaml."""

from __future__ import annotations

from claro_backoffice.mocks.cmax.backend import CMAXBackend
from claro_backoffice.mocks.kit.context import session
from claro_backoffice.mocks.kit.problems import bad_request
from claro_backoffice.world.phones import InvalidPhone, normalise_phone


def _cmax() -> CMAXBackend:
    return CMAXBackend(session())


def _msisdn(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except InvalidPhone as exc:
        raise bad_request(str(exc), "invalid-msisdn") from None


def get_balance(msisdn):
    return _cmax().balance(_msisdn(msisdn))


def list_bundles(msisdn, status=None):
    number = _msisdn(msisdn)
    return {"msisdn": number, "bundles": _cmax().bundles(number, status)}


def purchase_bundle(msisdn, body):
    return _cmax().purchase_bundle(_msisdn(msisdn), body), 201


def list_bundle_offers():
    return {"offers": _cmax().offers()}


def list_recharges(msisdn, status=None, days=90):
    number = _msisdn(msisdn)
    return {"msisdn": number, "days": days, "recharges": _cmax().recharges(number, status, days)}


def create_recharge(msisdn, body):
    return _cmax().create_recharge(_msisdn(msisdn), body), 201


def get_recharge(reference):
    return _cmax().recharge(reference)


def reapply_recharge(reference, body):
    return _cmax().reapply(reference, body)


def get_provisioning(msisdn):
    return _cmax().provisioning(_msisdn(msisdn))
