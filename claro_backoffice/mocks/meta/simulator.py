"""The simulator (a mixin of MetaBackend): what tests and the training console use to play the customers and to
drive Meta's side: customers' messages and button taps, status updates of sent messages, webhook deliveries and
their repetition, the webhook verification handshake, a customer's whole conversation, and each business
number's settings. Answers and errors here are the house's (snake_case JSON, problem+json)."""

from __future__ import annotations

import json
import secrets

from claro_backoffice.mocks.kit.context import runtime
from claro_backoffice.mocks.kit.problems import conflict, not_found, unprocessable
from claro_backoffice.mocks.kit.sql import immediate, rows
from claro_backoffice.mocks.meta import webhook
from claro_backoffice.mocks.meta.graph import REENGAGEMENT, UNDELIVERABLE

FAILURES = {
    131026: UNDELIVERABLE,
    131047: REENGAGEMENT,
    131049: {
        "code": 131049,
        "title": "This message was not delivered to maintain healthy ecosystem engagement.",
        "message": "This message was not delivered to maintain healthy ecosystem engagement.",
        "error_data": {
            "details": "In order to maintain a healthy ecosystem engagement, the message failed to be delivered."
        },
    },
}
SETTINGS = ("webhook_url", "verify_token", "app_secret", "webhook_timeout_seconds", "auto_statuses", "escape_unicode")
DEFAULT_PROFILE_NAME = "Cliente"


class Simulator:
    # ---- business numbers ------------------------------------------------------------------------------------------
    def business_numbers(self) -> list[dict]:
        return [self._number_view(r) for r in self._number_rows()]

    def _simulated_number(self, phone_number_id: str | None) -> dict:
        if phone_number_id is None:
            numbers = self._number_rows()
            if not numbers:  # only after a fixture deleted every number
                raise not_found("Meta has no business number in this sandbox", "business-number-not-found")
            return numbers[0]
        number = self._number_row(phone_number_id)
        if number is None:
            raise not_found(
                f"phone_number_id {phone_number_id} is not a business number in Meta's simulator; "
                "GET /simulator/business-numbers lists them",
                "business-number-not-found",
            )
        return number

    def update_settings(self, phone_number_id: str, body: dict) -> dict:
        self._simulated_number(phone_number_id)
        changes = {k: body[k] for k in SETTINGS if k in body}
        if "auto_statuses" in changes:
            changes["auto_statuses"] = json.dumps(changes["auto_statuses"])
        if "escape_unicode" in changes:
            changes["escape_unicode"] = int(changes["escape_unicode"])
        if changes:
            self.db.execute(
                f"UPDATE business_numbers SET {', '.join(f'{k} = ?' for k in changes)} WHERE phone_number_id = ?",
                [*changes.values(), phone_number_id],
            )
            self.db.conn.commit()
        return self._number_view(self._number_row(phone_number_id))

    # ---- customers --------------------------------------------------------------------------------------------------
    def customers(self, customer_id: str | None, limit: int, offset: int) -> dict:
        where, args = ("WHERE customer_id = ?", [customer_id]) if customer_id else ("", [])
        total = self.db.execute(f"SELECT COUNT(*) FROM customers {where}", args).fetchone()[0]
        found = rows(
            self.db.execute(
                f"SELECT wa_id, profile_name, customer_id FROM customers {where} "
                "ORDER BY customer_id IS NULL, customer_id, wa_id LIMIT ? OFFSET ?",
                [*args, limit, offset],
            )
        )
        return {"customers": found, "total": total}

    def _replied(self, number: dict, wa_id: str, wamid: str) -> dict:
        message = self._message(wamid)
        if not message or message["wa_id"] != wa_id or message["phone_number_id"] != number["phone_number_id"]:
            raise not_found(
                f"{wamid} is not a message between {wa_id} and business number "
                f"{number['phone_number']} in Meta's simulator",
                "message-not-found",
            )
        return message

    def _tapped(self, number: dict, wa_id: str, reply: dict, message: dict) -> tuple[str, dict, str]:
        """(type, the Cloud API's object for the tap, the button's title) for a tap on a button of `message`."""
        wamid = message["wamid"]
        if message["direction"] != "outbound":
            raise unprocessable(
                f"{wamid} is a message the customer {wa_id} sent; a customer taps buttons of "
                "messages the business sent",
                "not-a-business-message",
            )
        if message["status"] == "failed":
            raise unprocessable(
                f"{wamid} failed and never reached {wa_id}: there is no button to tap", "message-not-delivered"
            )
        content = json.loads(message["content"] or "{}")
        if message["type"] == "interactive":
            offered = ((content.get("interactive") or {}).get("action") or {}).get("buttons") or []
            buttons = [(b["reply"]["id"], b["reply"]["title"]) for b in offered]
        elif message["type"] == "template":
            found = self.db.execute(
                "SELECT buttons FROM templates WHERE waba_id = ? AND name = ? AND language = ?",
                [number["waba_id"], message["template_name"], message["template_language"]],
            )
            titles = json.loads((found.fetchone() or ["[]"])[0] or "[]")
            payloads = {
                int(c["index"]): c["parameters"][0]["payload"]
                for c in (content.get("template") or {}).get("components") or []
                if c["type"] == "button"
            }
            buttons = [(payloads.get(i, title), title) for i, title in enumerate(titles)]
        else:
            buttons = []
        if not buttons:
            raise unprocessable(f"{wamid} ({message['type']}) has no reply buttons to tap", "no-buttons")
        asked = {k: reply[k] for k in ("id", "title") if k in reply}
        chosen = [b for b in buttons if asked.get("id", b[0]) == b[0] and asked.get("title", b[1]) == b[1]]
        if not chosen or not asked:
            offered = ", ".join(f"{i} ({t})" for i, t in buttons)
            wanted = json.dumps(asked, ensure_ascii=False) if asked else "neither id nor title"
            raise unprocessable(
                f"{wamid} has no button with {wanted}; its buttons (id and title) are {offered}", "unknown-button"
            )
        button_id, title = chosen[0]
        kind = "interactive" if message["type"] == "interactive" else "button"
        return kind, {"id": button_id, "title": title}, title

    def customer_message(self, wa_id: str, body: dict) -> dict:
        number = self._simulated_number(body.get("phone_number_id"))
        if wa_id == number["phone_number"]:
            raise unprocessable(
                f"{wa_id} is business number {number['phone_number_id']} itself, not a customer", "customer-is-business"
            )
        profile = self._profile(wa_id)
        name = body.get("profile_name") or (profile or {}).get("profile_name") or DEFAULT_PROFILE_NAME
        wamid, now = webhook.new_wamid(wa_id, inbound=True), self._now()
        with immediate(self.db):
            reply = body.get("button_reply")
            context_wamid = reply["context_wamid"] if reply else body.get("context_wamid")
            context = None
            if context_wamid:
                replied = self._replied(number, wa_id, context_wamid)
                sender = number["phone_number"] if replied["direction"] == "outbound" else wa_id
                context = {"from": sender, "id": context_wamid}
            if reply:
                kind, tapped, text = self._tapped(number, wa_id, reply, replied)
                if kind == "interactive":
                    message = webhook.inbound_button_reply(wa_id, wamid, now, context, tapped["id"], text)
                else:
                    message = webhook.inbound_quick_reply(wa_id, wamid, now, context, tapped["id"], text)
            else:
                kind, text = "text", body["text"]
                message = webhook.inbound_text(wa_id, wamid, now, text, context)
            self.db.execute(
                "INSERT INTO customers (wa_id, profile_name) VALUES (?, ?) ON CONFLICT (wa_id) DO UPDATE "
                "SET profile_name = excluded.profile_name",
                [wa_id, name],
            )
            row = self._insert_message(
                {
                    "wamid": wamid,
                    "phone_number_id": number["phone_number_id"],
                    "wa_id": wa_id,
                    "direction": "inbound",
                    "type": kind,
                    "text": text,
                    "content": json.dumps(message, ensure_ascii=False),
                    "context_wamid": context_wamid,
                    "status": "received",
                }
            )
        delivery = self._deliver(
            number,
            "message",
            wamid,
            wa_id,
            webhook.message_value(number, name, message),
            body.get("signature", "valid"),
        )
        return {"message": self._message_view(row), "delivery": delivery}

    # ---- statuses ---------------------------------------------------------------------------------------------------
    def report_status(self, wamid: str, body: dict) -> dict:
        status, code = body["status"], body.get("error_code")
        with immediate(self.db):
            message = self._message(wamid)
            if message is None:
                raise not_found(f"no message {wamid} in Meta's simulator", "message-not-found")
            self._check_status(message, status, code)
            errors = None
            if status == "failed":
                known = json.loads(message["error"]) if message["error"] else None
                errors = [FAILURES[code] if code else known or UNDELIVERABLE]
                self.db.execute(
                    "UPDATE messages SET error = ? WHERE wamid = ?", [json.dumps(errors[0], ensure_ascii=False), wamid]
                )
            recorded = self._record_status(message, status, errors)
        number = self._simulated_number(message["phone_number_id"])
        delivery = self._deliver_status(number, message, recorded, body.get("signature", "valid"))
        return {"message": self._message_view(self._message(wamid)), "status": recorded["object"], "delivery": delivery}

    @staticmethod
    def _check_status(message: dict, status: str, code: int | None) -> None:
        """Statuses come in any order, but a failed message is never delivered and a delivered one never fails."""
        wamid = message["wamid"]
        if message["direction"] != "outbound":
            raise unprocessable(
                f"{wamid} is a message the customer {message['wa_id']} sent; status updates "
                "belong to messages the business sent",
                "not-a-business-message",
            )
        if code is not None and status != "failed":
            raise unprocessable(f"error_code goes with status failed, not {status}", "error-code-without-failure")
        if message["status"] == "failed" and status != "failed":
            error = json.loads(message["error"]) if message["error"] else {}
            raise conflict(
                f"{wamid} failed ({error.get('code')} {error.get('title', '')}): Meta never reports it {status}",
                "message-failed",
            )
        if status == "failed" and message["status"] in ("delivered", "read"):
            raise conflict(
                f"{wamid} was already {message['status']} to {message['wa_id']}: it can't fail now", "message-delivered"
            )

    # ---- deliveries -------------------------------------------------------------------------------------------------
    def deliveries(self, wa_id=None, wamid=None, kind=None, outcome=None, limit: int = 50) -> list[dict]:
        found = rows(
            self.db.execute(
                "SELECT * FROM deliveries WHERE (? IS NULL OR wa_id = ?) AND (? IS NULL OR wamid = ?) AND "
                "(? IS NULL OR kind = ?) AND (? IS NULL OR outcome = ?) ORDER BY delivery_id DESC LIMIT ?",
                [wa_id, wa_id, wamid, wamid, kind, kind, outcome, outcome, limit],
            )
        )
        return [self._delivery_view(r) for r in found]

    def redeliver(self, delivery_id: int) -> dict:
        found = rows(self.db.execute("SELECT * FROM deliveries WHERE delivery_id = ?", [delivery_id]))
        if not found:
            raise not_found(f"no webhook delivery {delivery_id} in Meta's simulator", "delivery-not-found")
        original = found[0]
        number = self._simulated_number(original["phone_number_id"])
        return self._deliver(
            number,
            original["kind"],
            original["wamid"],
            original["wa_id"],
            None,
            "valid",
            body=original["body"].encode("utf-8"),
            redelivery_of=delivery_id,
        )

    def verify_webhook(self, phone_number_id=None, verify_token=None, challenge=None) -> dict:
        number = self._simulated_number(phone_number_id)
        token = verify_token if verify_token is not None else number["verify_token"]
        challenge = challenge or str(secrets.randbelow(10**9) + 10**9)
        result = webhook.verify(
            number["webhook_url"],
            token,
            challenge,
            self.s.sandbox,
            number["webhook_timeout_seconds"],
            runtime().outbound,
        )
        verified = result["status_code"] == 200 and (result["response_excerpt"] or "").strip() == challenge
        return {
            "phone_number_id": number["phone_number_id"],
            "url": number["webhook_url"],
            "verify_token": token,
            "challenge": challenge,
            "verified": verified,
            **result,
        }

    # ---- conversations ----------------------------------------------------------------------------------------------
    def conversation(self, wa_id: str, phone_number_id: str | None = None) -> dict:
        number = self._simulated_number(phone_number_id)
        profile = self._profile(wa_id)
        messages = rows(
            self.db.execute(
                "SELECT * FROM messages WHERE wa_id = ? AND phone_number_id = ? ORDER BY message_id",
                [wa_id, number["phone_number_id"]],
            )
        )
        if profile is None and not messages:
            raise not_found(
                f"{wa_id} is not a customer Meta's simulator knows: no profile and no messages with "
                f"business number {number['phone_number']}",
                "customer-not-found",
            )
        return {
            "wa_id": wa_id,
            "profile_name": (profile or {}).get("profile_name"),
            "customer_id": (profile or {}).get("customer_id"),
            "phone_number_id": number["phone_number_id"],
            "window": self._window(number["phone_number_id"], wa_id),
            "messages": [self._message_view(m) for m in messages],
        }
