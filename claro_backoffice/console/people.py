"""People by name: Almabi's directory (through the gateway's GET /workforce/agents) read once at sign-in, so the
console shows "Laura Gómez", not "asesor.premium01". A leader's own token may read it; an asesor's may not (403),
so for an asesor the console reads it with CONSOLE_DEV_DIRECTORY_TOKEN. When neither can, logins show as they are."""

from __future__ import annotations

from flask import g

from claro_backoffice.console.client import ApiError, Gateway

ROLES = {  # the token's or Almabi's role, as the top bar says it
    "asesor": "Asesor",
    "supervisor": "Supervisor",
    "coordinador": "Coordinador",
    "gerente": "Gerente",
    "formador": "Formador",
    "admin": "Administrador",
}
AUTOMATIC = "automatic"  # an adjustment's decidedBy when RR or AC approved it alone


def directory(*gateways: Gateway) -> dict[str, str]:
    """login -> full name from the first gateway identity allowed to read Almabi (every status: people who left
    still appear on old cases); empty when none may."""
    for gateway in gateways:
        try:
            return {a["username"]: a["fullName"] for a in gateway.get("/workforce/agents")}
        except ApiError:
            continue
    return {}


def token_role(gateway: Gateway) -> str | None:
    """The token's own role (GET /me): admin and formador are no Almabi roles."""
    try:
        return gateway.whoami().get("role")
    except ApiError:
        return None


def role_label(almabi_role: str, token_role: str | None) -> str:
    """A leader by Almabi's role; anyone else by the token's (an admin token acting for a login is 'Administrador')."""
    if almabi_role != "asesor" or token_role in (None, "asesor"):
        return ROLES.get(almabi_role, almabi_role)
    return ROLES.get(token_role, token_role)


def name(login: str | None) -> str:
    """The Jinja filter `person`: the person's name when the directory knows the login, else the login as is."""
    if not login:
        return "—"
    if login == AUTOMATIC:
        return "automático (RR o AC)"
    names = getattr(g, "session", None) and g.session.names
    return (names or {}).get(login, login)
