"""Meta's WhatsApp Business Cloud API: the business numbers and their app settings, the messages sent and received
(with their status updates), the 24-hour customer-service window, and the webhook deliveries made to the gateway.
The Graph API side is in graph.py, the simulated customers in simulator.py; this module holds what both share.

LIMITATIONS (where this mock departs from the real Cloud API):
- One Graph surface only: sending messages (text, template, interactive reply buttons) and marking a received
  message as read at POST /{version}/{phone_number_id}/messages, and listing a WABA's templates. No media,
  locations, contacts, reactions, lists, flows, typing indicators, phone registration or template management.
- Graph errors keep Meta's shape ({"error": {message, type, code, error_data, fbtrace_id}}), not problem+json;
  requests the OpenAPI schema refuses get the house's 400 problem+json (Meta answers those with code 100). An
  unknown phone number or WABA id is a 404 with code 100 / subcode 33 (Meta answers it with a 400). A missing or
  wrong access token is a 401 with code 190 for both (Meta words a missing token differently).
- Any number is a WhatsApp user; a Colombian fixed line (57 60…) is not: a message to one fails with 131026.
  `to` takes digits only (optionally after `+`); 10 digits starting with 3 are read as a Colombian mobile.
- The 24-hour window: a free-form message (text, interactive) to a customer whose last message is older than 24 h
  (virtual clock) is accepted with a wamid and fails with 131047, reported by a `failed` status webhook, as the
  Cloud API does. A business number with window_errors = "response" (set through /__admin/fixtures) answers the
  send itself with a 400 error 131047 instead. Templates are always allowed. Conversation-based pricing and
  messaging limits are not modelled; statuses carry `pricing` (PMP, category service/utility/marketing).
- Templates: body parameters of type text only; header parameters are refused (no template has a header);
  quick-reply button payloads are honoured. Button ids or titles repeated within one interactive message are
  not refused (Meta refuses them).
- Status webhooks are delivered when the simulator is asked to (POST /simulator/messages/{wamid}/statuses) or,
  for the statuses listed in the number's auto_statuses, right after each send, before the send answers: the
  gateway may see a status for a wamid before it has read the send's response (it can in production too).
- Every webhook is one POST with no automatic retries (Meta retries for up to 7 days): a failed delivery is
  recorded with what went wrong, and POST /simulator/deliveries/{delivery_id}/redeliver repeats it. Deliveries
  carry an X-Sandbox header naming the sandbox (Meta sends none) so a gateway can stay in the same sandbox.
- Deliveries are kept for redelivery and inspection, the newest MOCK_DELIVERY_RETENTION (1,000) per sandbox; an
  older one is gone (404 to redeliver; a status still names its delivery_id).
- Webhook bodies escape non-ASCII characters (\\u00ed), as Meta does, unless the number's escape_unicode is off.
"""

from __future__ import annotations

import datetime as dt
import json

from claro_backoffice.core.formats import instant
from claro_backoffice.mocks.kit.context import runtime
from claro_backoffice.mocks.kit.sql import rows
from claro_backoffice.mocks.meta import webhook
from claro_backoffice.mocks.meta.graph import Graph
from claro_backoffice.mocks.meta.simulator import Simulator

WEBHOOK_PATH = "/whatsapp/webhook"  # under the gateway's base URL (MockSettings.gateway_url)

WINDOW = dt.timedelta(hours=24)


class MetaBackend(Graph, Simulator):
    def __init__(self, session):
        self.s = session
        self.db = session.db

    def _now(self) -> dt.datetime:
        return self.s.now().replace(microsecond=0)

    # ---- business numbers ---------------------------------------------------------------------------------------
    @staticmethod
    def _effective(row: dict) -> dict:
        """A number with no webhook URL of its own delivers to the gateway this process was configured with."""
        if not row["webhook_url"]:
            row = dict(row, webhook_url=runtime().settings.gateway_url.rstrip("/") + WEBHOOK_PATH)
        return row

    def _number_rows(self) -> list[dict]:
        return [
            self._effective(r)
            for r in rows(self.db.execute("SELECT * FROM business_numbers ORDER BY is_default DESC, phone_number_id"))
        ]

    def _number_row(self, phone_number_id: str) -> dict | None:
        found = rows(self.db.execute("SELECT * FROM business_numbers WHERE phone_number_id = ?", [phone_number_id]))
        return self._effective(found[0]) if found else None

    @staticmethod
    def _number_view(row: dict) -> dict:
        view = dict(row, is_default=bool(row["is_default"]), escape_unicode=bool(row["escape_unicode"]))
        view["auto_statuses"] = json.loads(row["auto_statuses"] or "[]")
        return view

    # ---- customers ------------------------------------------------------------------------------------------------
    def _profile(self, wa_id: str) -> dict | None:
        found = rows(self.db.execute("SELECT * FROM customers WHERE wa_id = ?", [wa_id]))
        return found[0] if found else None

    # ---- messages -------------------------------------------------------------------------------------------------
    def _message(self, wamid: str) -> dict | None:
        found = rows(self.db.execute("SELECT * FROM messages WHERE wamid = ?", [wamid]))
        return found[0] if found else None

    def _insert_message(self, row: dict) -> dict:
        row = dict(row, created_at=self._now().isoformat())
        self.db.execute(
            f"INSERT INTO messages ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        return self._message(row["wamid"])

    def _message_view(self, row: dict, with_statuses: bool = True) -> dict:
        created = instant(row["created_at"])  # with its offset, fixtures too (Message.created_at)
        view = {
            "wamid": row["wamid"],
            "phone_number_id": row["phone_number_id"],
            "wa_id": row["wa_id"],
            "direction": row["direction"],
            "type": row["type"],
            "text": row["text"],
            "content": json.loads(row["content"] or "{}"),
            "context_wamid": row["context_wamid"],
            "template": (
                {"name": row["template_name"], "language": row["template_language"]} if row["template_name"] else None
            ),
            "status": row["status"],
            "error": json.loads(row["error"]) if row["error"] else None,
            "created_at": row["created_at"],
            "timestamp": webhook.unix(created),
        }
        if row["direction"] == "inbound":
            view["read_by_business_at"] = row["read_by_business_at"]
        if with_statuses and row["direction"] == "outbound":
            view["statuses"] = [
                {
                    "status": s["status"],
                    "errors": json.loads(s["error"]) if s["error"] else None,
                    "created_at": s["created_at"],
                    "delivery_id": s["delivery_id"],
                }
                for s in rows(
                    self.db.execute(
                        "SELECT status, error, created_at, delivery_id FROM statuses WHERE wamid = ? "
                        "ORDER BY status_id",
                        [row["wamid"]],
                    )
                )
            ]
        return view

    def _last_customer_message(self, phone_number_id: str, wa_id: str) -> dt.datetime | None:
        stamps = [
            instant(r[0])
            for r in self.db.execute(
                "SELECT created_at FROM messages WHERE phone_number_id = ? AND wa_id = ? AND direction = 'inbound'",
                [phone_number_id, wa_id],
            ).fetchall()
        ]
        return max(stamps) if stamps else None

    def _window(self, phone_number_id: str, wa_id: str) -> dict:
        last = self._last_customer_message(phone_number_id, wa_id)
        closes = last + WINDOW if last else None
        return {
            "open": bool(closes and self._now() < closes),
            "last_customer_message_at": last.isoformat() if last else None,
            "closes_at": closes.isoformat() if closes else None,
        }

    # ---- statuses and webhook deliveries -----------------------------------------------------------------------
    def _record_status(self, message: dict, status: str, errors: list | None) -> dict:
        """Meta's record of a status of an outbound message (inside the caller's transaction)."""
        now = self._now()
        cursor = self.db.execute(
            "INSERT INTO statuses (wamid, status, error, created_at) VALUES (?, ?, ?, ?)",
            [message["wamid"], status, json.dumps(errors, ensure_ascii=False) if errors else None, now.isoformat()],
        )
        self.db.execute("UPDATE messages SET status = ? WHERE wamid = ?", [status, message["wamid"]])
        obj = webhook.status_object(message["wamid"], status, now, message["wa_id"], message["category"], errors)
        return {"status_id": cursor.lastrowid, "object": obj}

    def _deliver_status(self, number: dict, message: dict, recorded: dict, signature: str = "valid") -> dict:
        delivery = self._deliver(
            number,
            "status",
            message["wamid"],
            message["wa_id"],
            webhook.status_value(number, recorded["object"]),
            signature,
        )
        self.db.execute(
            "UPDATE statuses SET delivery_id = ? WHERE status_id = ?", [delivery["delivery_id"], recorded["status_id"]]
        )
        self.db.conn.commit()
        return delivery

    def _deliver(
        self,
        number: dict,
        kind: str,
        wamid: str,
        wa_id: str,
        payload: dict | None,
        signature: str,
        body: bytes | None = None,
        redelivery_of: int | None = None,
    ) -> dict:
        """One POST to the number's webhook, made with no transaction open (the gateway may call back at once)."""
        if self.db.conn.in_transaction:
            self.db.conn.commit()
        body = body if body is not None else webhook.encode(payload, bool(number["escape_unicode"]))
        attempted_at = self._now().isoformat()
        result = webhook.post(
            number["webhook_url"],
            body,
            webhook.headers(number["app_secret"], body, signature, self.s.sandbox),
            number["webhook_timeout_seconds"],
            runtime().outbound,
        )
        row = {
            "kind": kind,
            "wamid": wamid,
            "wa_id": wa_id,
            "phone_number_id": number["phone_number_id"],
            "url": number["webhook_url"],
            "body": body.decode("utf-8"),
            "signature": signature,
            "redelivery_of": redelivery_of,
            "attempted_at": attempted_at,
            **result,
        }
        cursor = self.db.execute(
            f"INSERT INTO deliveries ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        keep = runtime().settings.delivery_retention
        if cursor.lastrowid > keep:  # ids only grow (the newest is never deleted): one delete on the primary key
            self.db.execute("DELETE FROM deliveries WHERE delivery_id <= ?", [cursor.lastrowid - keep])
        self.db.conn.commit()
        return self._delivery_view(dict(row, delivery_id=cursor.lastrowid))

    @staticmethod
    def _delivery_view(row: dict) -> dict:
        view = {
            k: row[k]
            for k in (
                "delivery_id",
                "kind",
                "wamid",
                "wa_id",
                "phone_number_id",
                "url",
                "signature",
                "redelivery_of",
                "attempted_at",
                "outcome",
                "status_code",
                "response_excerpt",
                "error",
                "duration_ms",
            )
        }
        view["payload"] = json.loads(row["body"])
        return view
