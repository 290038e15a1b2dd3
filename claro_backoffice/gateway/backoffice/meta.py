"""Meta's WhatsApp Business Cloud API: sending text, template and reply-button messages, and marking a received
message as read (openapi/mocks/meta.yaml, the Graph side). The only code that knows its URLs and JSON.

Meta's errors are not problem+json but `{"error": {message, type, code, error_data}}`: a refusal comes back as a
DownstreamError whose detail carries Meta's code and message (e.g. 131047, outside the 24-hour window).
Sends are POSTs and never retried (a repeat would message the customer twice).
"""

from __future__ import annotations

from claro_backoffice.gateway.backoffice.base import BackofficeHttp, CallContext, Reply
from claro_backoffice.gateway.backoffice.control import ControlAPI
from claro_backoffice.gateway.errors import DownstreamError
from claro_backoffice.gateway.settings import GatewaySettings


class MetaAdapter(ControlAPI):
    system = "meta"

    def __init__(self, base_url: str, settings: GatewaySettings, http: BackofficeHttp | None = None):
        super().__init__(base_url, settings, http)
        self.access_token = settings.whatsapp_access_token
        self.version = settings.whatsapp_api_version
        self.waba_id = settings.whatsapp_waba_id

    def extra_headers(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}

    def _send_message(self, ctx: CallContext, phone_number_id: str, body: dict) -> dict:
        reply = self.call(
            "POST", f"/{self.version}/{phone_number_id}/messages", ctx, json={"messaging_product": "whatsapp"} | body
        )
        return self.answer(reply, 200)

    def send_text(self, ctx: CallContext, phone_number_id: str, to: str, text: str) -> str:
        """The wamid Meta gave the message (its fate arrives later in status webhooks)."""
        body = {"recipient_type": "individual", "to": to, "type": "text", "text": {"body": text}}
        return self._send_message(ctx, phone_number_id, body)["messages"][0]["id"]

    def send_buttons(
        self, ctx: CallContext, phone_number_id: str, to: str, text: str, buttons: list[tuple[str, str]]
    ) -> str:
        """Reply buttons: [(id, title), ...] (at most three)."""
        interactive = {
            "type": "button",
            "body": {"text": text},
            "action": {
                "buttons": [{"type": "reply", "reply": {"id": b_id, "title": title}} for b_id, title in buttons]
            },
        }
        body = {"recipient_type": "individual", "to": to, "type": "interactive", "interactive": interactive}
        return self._send_message(ctx, phone_number_id, body)["messages"][0]["id"]

    def send_template(
        self, ctx: CallContext, phone_number_id: str, to: str, name: str, values: list[str], language: str = "es_CO"
    ) -> str:
        template = {
            "name": name,
            "language": {"code": language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": v} for v in values]}],
        }
        body = {"to": to, "type": "template", "template": template}
        return self._send_message(ctx, phone_number_id, body)["messages"][0]["id"]

    def approved_templates(self, ctx: CallContext, language: str = "es_CO") -> list[dict]:
        """The account's approved templates in the language the gateway sends (Graph's message_templates)."""
        params = {"status": "APPROVED", "language": language, "limit": 100}
        return self.get(f"/{self.version}/{self.waba_id}/message_templates", ctx, params=params)["data"]

    def mark_read(self, ctx: CallContext, phone_number_id: str, wamid: str) -> None:
        self._send_message(ctx, phone_number_id, {"status": "read", "message_id": wamid})

    def customer_says(self, ctx: CallContext, wa_id: str, text: str, phone_number_id: str) -> dict:
        """A customer writes to a business number, through Meta's simulator (practice mode's scripted customer):
        Meta's record of the message and of the webhook delivery it made to the gateway."""
        body = {"text": text, "phone_number_id": phone_number_id}
        return self.answer(self.call("POST", f"/simulator/customers/{wa_id}/messages", ctx, json=body), 201)

    def client_error(self, reply: Reply) -> DownstreamError:
        error = reply.body.get("error") if isinstance(reply.body, dict) else None
        if not isinstance(error, dict):
            return super().client_error(reply)
        kind = f"graph-{error.get('code')}"
        return DownstreamError(
            self.system, kind, reply.status, f"meta: error {error.get('code')}: {error.get('message')}"
        )
