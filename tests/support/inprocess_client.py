"""An httpx client on an app through the in-process transport: moved to the plugin's package
(claro_backoffice/testing/inprocess_client.py)."""

from claro_backoffice.testing.inprocess_client import InProcessHttpx, in_process_client  # noqa: F401
