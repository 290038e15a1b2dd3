"""Which sandbox a webhook belongs to, from its `phone_number_id`: each sandbox has a business number of its own
(world/channel.py). Known numbers are remembered; an unknown one makes the gateway ask Meta which sandboxes exist
(once per miss), so a sandbox created straight on the mocks is found too."""

from __future__ import annotations

import threading
from collections.abc import Callable

from claro_backoffice.world.channel import DEFAULT_SANDBOX, business_number


class BusinessNumbers:
    def __init__(self, list_sandboxes: Callable[[], list[str]]):
        self._list = list_sandboxes
        self._known = {business_number(DEFAULT_SANDBOX)["phone_number_id"]: DEFAULT_SANDBOX}
        self._lock = threading.Lock()

    def sandbox_of(self, phone_number_id: str) -> str | None:
        with self._lock:
            found = self._known.get(phone_number_id)
        if found is not None:
            return found
        names = self._list()
        with self._lock:
            for name in names:
                self._known[business_number(name)["phone_number_id"]] = name
            return self._known.get(phone_number_id)

    @staticmethod
    def of(sandbox: str) -> str:
        return business_number(sandbox)["phone_number_id"]
