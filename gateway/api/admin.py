"""/admin/*: sandboxes, clock, faults and journal of every system (admin role; gateway/services/admin.py)."""
from __future__ import annotations

from gateway.api.calls import backoffice, call_context, check_pinned, executor
from gateway.services import admin


def list_sandboxes():
    return admin.list_sandboxes(backoffice(), executor(), call_context())


def create_sandbox(body):
    check_pinned(body["name"])
    return admin.create_sandbox(backoffice(), executor(), call_context(), body["name"], body.get("seed")), 201


def delete_sandbox(name):
    check_pinned(name)
    return admin.delete_sandbox(backoffice(), executor(), call_context(), name)


def reset_sandbox(name):
    check_pinned(name)
    return admin.reset_sandbox(backoffice(), executor(), call_context(), name)


def set_clock(body):
    return admin.set_clock(backoffice(), executor(), call_context(), body)


def list_faults(system=None):
    return admin.list_faults(backoffice(), executor(), call_context(), system)


def add_fault(body):
    return admin.add_fault(backoffice(), call_context(), body), 201


def clear_faults(system=None):
    return admin.clear_faults(backoffice(), executor(), call_context(), system)


def get_journal(system=None, limit=100):
    return admin.journal(backoffice(), executor(), call_context(), system, limit)
