"""The sandbox's virtual time for the procedure's records, as the back office's clock says it (Meta's control
API: the channel's clock is the one the customer's messages are stamped with). Asked once and projected forward
with real time while it runs; asked again after `forget(sandbox)` (the gateway's clock, reset and sandbox
operations call it) or once `ttl` seconds have passed, so a clock set directly on the mocks is seen soon. Not
sooner: the console's pages poll every 2 s, and a ttl of 2 s made each poll one more pass through Meta's
control API, a third of a poll's cost (issue 18).

Asking it also proves the sandbox exists: an unknown sandbox is Meta's 404, which the gateway passes on with how
to create it.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from claro_backoffice.core.timezone import BOGOTA


class Clocks:
    def __init__(
        self, fetch: Callable[[str], dict], ttl: float = 10.0, monotonic: Callable[[], float] = time.monotonic
    ):
        """fetch(sandbox) -> {"now": ISO date-time, "frozen": bool} (raises the adapter's DownstreamError)."""
        self._fetch = fetch
        self._ttl = ttl
        self._monotonic = monotonic
        self._known: dict[str, tuple[dt.datetime, bool, float]] = {}
        self._lock = threading.Lock()

    def now(self, sandbox: str) -> dt.datetime:
        current = self._monotonic()
        with self._lock:
            known = self._known.get(sandbox)
        if known is None or current - known[2] > self._ttl:
            state = self._fetch(sandbox)
            current = self._monotonic()
            known = (dt.datetime.fromisoformat(state["now"]).astimezone(BOGOTA), bool(state["frozen"]), current)
            with self._lock:
                self._known[sandbox] = known
        virtual, frozen, asked_at = known
        moment = virtual if frozen else virtual + dt.timedelta(seconds=current - asked_at)
        return moment.replace(microsecond=0)

    def forget(self, sandbox: str | None = None) -> None:
        with self._lock:
            if sandbox is None:
                self._known.clear()
            else:
                self._known.pop(sandbox, None)
