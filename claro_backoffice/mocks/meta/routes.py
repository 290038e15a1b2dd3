"""Meta's HTTP surface: each view is named after its operationId in openapi/mocks/meta.yaml. The Graph API views
answer errors in Meta's shape; the simulator's views raise the house's problems."""

from __future__ import annotations

import functools

import flask

from claro_backoffice.mocks.kit.context import session
from claro_backoffice.mocks.meta.backend import MetaBackend
from claro_backoffice.mocks.meta.graph import GraphError


def _meta() -> MetaBackend:
    return MetaBackend(session())


def _token(access_token: str | None) -> str | None:
    """The Graph API takes the token as `Authorization: Bearer <token>` or as the access_token query parameter."""
    scheme, _, value = (flask.request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return access_token


def _graph(view):
    @functools.wraps(view)
    def answer(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except GraphError as error:
            return error.body(), error.status

    return answer


# ---- Graph API -----------------------------------------------------------------------------------------------------
@_graph
def send_message(version, phone_number_id, body, access_token=None):
    return _meta().send(phone_number_id, _token(access_token), body)


@_graph
def list_message_templates(version, waba_id, access_token=None, limit=25, **query):
    return _meta().templates(
        waba_id,
        _token(access_token),
        query.get("name"),
        query.get("status"),
        query.get("category"),
        query.get("language"),
        limit,
    )


# ---- simulator -----------------------------------------------------------------------------------------------------
def list_business_numbers():
    return {"business_numbers": _meta().business_numbers()}


def update_business_number_settings(phone_number_id, body):
    return _meta().update_settings(phone_number_id, body)


def list_customers(customer_id=None, limit=50, offset=0):
    return _meta().customers(customer_id, limit, offset)


def send_customer_message(wa_id, body):
    return _meta().customer_message(wa_id, body), 201


def get_conversation(wa_id, phone_number_id=None):
    return _meta().conversation(wa_id, phone_number_id)


def report_message_status(wamid, body):
    return _meta().report_status(wamid, body), 201


def list_deliveries(wa_id=None, wamid=None, kind=None, outcome=None, limit=50):
    return {"deliveries": _meta().deliveries(wa_id, wamid, kind, outcome, limit)}


def redeliver(delivery_id):
    return _meta().redeliver(delivery_id), 201


def verify_webhook(phone_number_id=None, verify_token=None, challenge=None):
    return _meta().verify_webhook(phone_number_id, verify_token, challenge)
