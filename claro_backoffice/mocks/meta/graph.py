"""The Graph API surface of the Cloud API (a mixin of MetaBackend): send a message, mark a received message as
read, list a WhatsApp Business Account's templates. Errors are GraphError, rendered in Meta's own shape."""

from __future__ import annotations

import base64
import json
import secrets

from claro_backoffice.mocks.kit.sql import immediate, rows
from claro_backoffice.mocks.meta import webhook
from claro_backoffice.mocks.meta.seed import render

UNDELIVERABLE = {
    "code": 131026,
    "title": "Message undeliverable",
    "message": "Message undeliverable",
    "error_data": {"details": "Message Undeliverable."},
}
REENGAGEMENT = {
    "code": 131047,
    "title": "Re-engagement message",
    "message": "Re-engagement message",
    "error_data": {
        "details": "Message failed to send because more than 24 hours have passed since "
        "the customer last replied to this number."
    },
}


class GraphError(Exception):
    """An error as the Graph API writes it: {"error": {message, type, code, error_data, fbtrace_id}}."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        details: str | None = None,
        type_: str = "OAuthException",
        subcode: int | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message, self.details, self.type, self.subcode = (
            status,
            code,
            message,
            details,
            type_,
            subcode,
        )

    def body(self) -> dict:
        error = {
            "message": f"(#{self.code}) {self.message}" if self.code not in (100, 190) else self.message,
            "type": self.type,
            "code": self.code,
        }
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.details is not None:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        error["fbtrace_id"] = "A" + secrets.token_urlsafe(16).replace("-", "x").replace("_", "y")
        return {"error": error}


def _no_object(object_id: str) -> GraphError:
    return GraphError(
        404,
        100,
        f"Unsupported request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
        type_="GraphMethodException",
        subcode=33,
    )


def _invalid(details: str, code: int = 131009, message: str = "Parameter value is not valid") -> GraphError:
    return GraphError(400, code, message, details)


class Graph:
    # ---- access ------------------------------------------------------------------------------------------------
    def _authorized(self, token: str | None, phone_number_id: str | None = None, waba_id: str | None = None) -> dict:
        numbers = [n for n in self._number_rows() if token and n["access_token"] == token]
        if not numbers:
            raise GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token")
        for number in numbers:
            if phone_number_id in (None, number["phone_number_id"]) and waba_id in (None, number["waba_id"]):
                return number
        raise _no_object(phone_number_id or waba_id)

    # ---- sending ---------------------------------------------------------------------------------------------------
    @staticmethod
    def _recipient(number: dict, to: str) -> str:
        digits = to.lstrip("+")
        if len(digits) == 10 and digits.startswith("3"):
            digits = "57" + digits  # a Colombian mobile written without its country code
        if digits == number["phone_number"]:
            raise _invalid(
                f"the recipient {digits} is the business number itself", 131021, "Recipient cannot be sender"
            )
        return digits

    def _template(self, number: dict, spec: dict) -> tuple[dict, str]:
        name, code = spec["name"], spec["language"]["code"]
        found = rows(
            self.db.execute(
                "SELECT * FROM templates WHERE waba_id = ? AND name = ? AND language = ?",
                [number["waba_id"], name, code],
            )
        )
        if not found or found[0]["status"] != "APPROVED":
            state = f" (it is {found[0]['status']})" if found else ""
            raise GraphError(
                404,
                132001,
                "Template name does not exist in the translation",
                f"template name ({name}) does not exist in {code}{state}",
            )
        template = found[0]
        buttons = json.loads(template["buttons"] or "[]")
        values = []
        for component in spec.get("components") or []:
            kind, parameters = component["type"], component.get("parameters") or []
            if kind == "body":
                for n, parameter in enumerate(parameters, start=1):
                    if parameter["type"] != "text" or not parameter.get("text"):
                        raise _invalid(f"body parameter {n} of template {name} must be of type text with a text")
                    values.append(parameter["text"])
            elif kind == "header" and parameters:
                raise _invalid(
                    f"header: number of localizable_params ({len(parameters)}) does not match the "
                    f"expected number of params (0) of template {name}",
                    132000,
                    "Number of parameters does not match the expected number of params",
                )
            elif kind == "button":
                index = component.get("index")
                if component.get("sub_type") != "quick_reply" or index is None or int(index) >= len(buttons):
                    raise _invalid(
                        f"button component of template {name}: sub_type quick_reply and an index below "
                        f"{len(buttons)} (its quick-reply buttons) are required"
                    )
                if len(parameters) != 1 or parameters[0]["type"] != "payload" or not parameters[0].get("payload"):
                    raise _invalid(f"button {index} of template {name} takes one parameter of type payload")
        if len(values) != template["parameter_count"]:
            raise _invalid(
                f"body: number of localizable_params ({len(values)}) does not match the expected number "
                f"of params ({template['parameter_count']}) of template {name} in {code}",
                132000,
                "Number of parameters does not match the expected number of params",
            )
        return template, render(template["body_text"], values)

    def send(self, phone_number_id: str, token: str | None, body: dict) -> dict:
        number = self._authorized(token, phone_number_id)
        if "status" in body:
            return self._mark_read(number, body["message_id"])
        wa_id = self._recipient(number, body["to"])
        kind = body["type"]
        content = {"type": kind, kind: body[kind]}
        template = None
        with immediate(self.db):
            if kind == "template":
                template, text = self._template(number, body["template"])
                category = template["category"].lower()
            else:
                text = body["text"]["body"] if kind == "text" else body["interactive"]["body"]["text"]
                category = "service"
            error = None
            if wa_id.startswith("57") and not wa_id[2:].startswith("3"):
                error = UNDELIVERABLE
            elif kind != "template" and not self._window(number["phone_number_id"], wa_id)["open"]:
                if number["window_errors"] == "response":
                    raise GraphError(400, 131047, "Re-engagement message", REENGAGEMENT["error_data"]["details"])
                error = REENGAGEMENT
            message = self._insert_message(
                {
                    "wamid": webhook.new_wamid(wa_id, inbound=False),
                    "phone_number_id": number["phone_number_id"],
                    "wa_id": wa_id,
                    "direction": "outbound",
                    "type": kind,
                    "text": text,
                    "content": json.dumps(content, ensure_ascii=False),
                    "template_name": template["name"] if template else None,
                    "template_language": template["language"] if template else None,
                    "category": category,
                    "context_wamid": (body.get("context") or {}).get("message_id"),
                    "status": "failed" if error else "accepted",
                    "error": json.dumps(error, ensure_ascii=False) if error else None,
                }
            )
        self._auto_statuses(number, message, error)
        sent = {"id": message["wamid"]}
        if template:
            sent["message_status"] = "accepted"
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": wa_id}],
            "messages": [sent],
        }

    def _auto_statuses(self, number: dict, message: dict, error: dict | None) -> None:
        """The number's auto_statuses, delivered one by one; a failed message gets `failed` instead."""
        auto = json.loads(number["auto_statuses"] or "[]")
        if auto and error:
            auto = ["failed"]
        for status in auto:
            with immediate(self.db):
                recorded = self._record_status(message, status, [error] if error else None)
            self._deliver_status(number, message, recorded)

    def _mark_read(self, number: dict, wamid: str) -> dict:
        message = self._message(wamid)
        if not message or message["direction"] != "inbound" or message["phone_number_id"] != number["phone_number_id"]:
            raise GraphError(
                404,
                100,
                "Invalid parameter",
                f"message_id {wamid} is not a message received by {number['phone_number']}",
            )
        if not message["read_by_business_at"]:
            self.db.execute(
                "UPDATE messages SET read_by_business_at = ? WHERE wamid = ?", [self._now().isoformat(), wamid]
            )
            self.db.conn.commit()
        return {"success": True}

    # ---- templates -------------------------------------------------------------------------------------------------
    @staticmethod
    def _template_view(row: dict) -> dict:
        components = [{"type": "BODY", "text": row["body_text"]}]
        example = json.loads(row["example"] or "[]")
        if example:
            components[0]["example"] = {"body_text": [example]}
        buttons = json.loads(row["buttons"] or "[]")
        if buttons:
            components.append({"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": b} for b in buttons]})
        return {
            "name": row["name"],
            "parameter_format": "POSITIONAL",
            "components": components,
            "language": row["language"],
            "status": row["status"],
            "category": row["category"],
            "id": row["template_id"],
        }

    def templates(
        self, waba_id: str, token: str | None, name=None, status=None, category=None, language=None, limit: int = 25
    ) -> dict:
        self._authorized(token, waba_id=waba_id)
        found = rows(
            self.db.execute(
                "SELECT * FROM templates WHERE waba_id = ? AND (? IS NULL OR name = ?) AND (? IS NULL OR status = ?) "
                "AND (? IS NULL OR category = ?) AND (? IS NULL OR language = ?) ORDER BY name, language LIMIT ?",
                [waba_id, name, name, status, status, category, category, language, language, limit],
            )
        )
        data = [self._template_view(r) for r in found]
        cursor = lambda n: base64.b64encode(str(n).encode()).decode().rstrip("=")  # noqa: E731
        paging = {"cursors": {"before": cursor(0), "after": cursor(max(len(data) - 1, 0))}}
        return {"data": data, "paging": paging}
