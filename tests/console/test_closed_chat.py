"""A closed conversation's chat (without a browser): a Spanish line that says it is closed, since when (Bogotá, the
sandbox's frozen clock) and why, and, while its 24-hour window is still open, nothing to send with: no composer, no
empty templates box, no window to mind. (Once the window closes, the approved templates are offered again:
test_console_flow.py sends one.)"""

from __future__ import annotations

import html

from tests.console.test_case_routes import Desk


def test_a_closed_conversation_says_so_and_offers_nothing_to_send(console_server, sandbox):
    desk = Desk(console_server, sandbox)  # the clock is held at Wed 4 Nov 2026 08:00 Bogotá
    desk.post(f"/chats/{desk.conversation}/end", {"reason": "informationOnly"})
    assert desk.gw("GET", f"/conversations/{desk.conversation}")["status"] == "closed"

    page = desk.browser.get(f"{desk.base}/console/chats/{desk.conversation}", timeout=60).text
    assert 'data-testid="chat-closed"' in page
    said = html.unescape(page)
    assert (
        "Esta conversación está cerrada desde el 4 nov 2026, 08:00: el cliente solo pidió información. "
        "Ya no se pueden enviar mensajes en ella."
    ) in said
    for offered in ("chat-template-only", "chat-composer", "template-form", "chat-readonly", "chat-window"):
        assert f'data-testid="{offered}"' not in page, offered
