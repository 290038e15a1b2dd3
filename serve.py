"""The composition root: every mock (and, later, the gateway) as a separate app in one ASGI process.

`python -m serve` (what `make run` does) serves on HOST:PORT (127.0.0.1:8000): each system under /mocks/<system>/
with its spec at /mocks/<system>/openapi.json and Swagger UI at /mocks/<system>/ui/. The only module that sees
every side.
"""
from __future__ import annotations

import importlib
import logging
import os
import re

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from mocks.kit.settings import MockSettings
from mocks.kit.worlds import WorldCache

SYSTEMS = ("rr", "ac", "diagnosticador", "sara", "cci", "cmax", "ascard", "portalpac", "dime", "paradigma", "gestion", "almabi", "meta")
_LONG_DIGITS = re.compile(r"(?<!\d)(\d{4,})(\d{2})(?!\d)")


def mask_digits(text: str) -> str:
    """Hide every run of 6+ digits but its last two: documents and phones never reach a log line."""
    return _LONG_DIGITS.sub(lambda m: "*" * len(m.group(1)) + m.group(2), text)


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_digits(record.getMessage())
        record.args = None
        return True


def create_mock_apps(settings: MockSettings, systems=SYSTEMS) -> dict:
    worlds = WorldCache()
    return {name: importlib.import_module(f"mocks.{name}.app").create_app(settings=settings, worlds=worlds)
            for name in systems}


def create_root(settings: MockSettings | None = None, systems=SYSTEMS) -> Starlette:
    settings = settings or MockSettings.from_env()
    apps = create_mock_apps(settings, systems)

    async def index(_request):
        return JSONResponse({"mocks": {name: {"base": f"/mocks/{name}/", "spec": f"/mocks/{name}/openapi.json",
                                               "ui": f"/mocks/{name}/ui/", "control": f"/mocks/{name}/__admin/"}
                                        for name in apps}})

    routes = [Route("/", index)] + [Mount(f"/mocks/{name}", app=app) for name, app in apps.items()]
    return Starlette(routes=routes)


def install_log_masking() -> None:
    for name in ("uvicorn.access", "uvicorn.error", "connexion", "flask.app", ""):
        logging.getLogger(name).addFilter(MaskingFilter())


def main() -> None:
    import uvicorn

    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8000"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_masking()
    settings = MockSettings.from_env()
    print(f"Seeding the world (seed {settings.world.seed}, {settings.world.size} customers, reference date "
          f"{settings.world.reference_date}) into {settings.var_dir.resolve()} ...", flush=True)
    root = create_root(settings)
    base = f"http://{host}:{port}"
    print("Claro Premium back office, simulated. Serving:")
    for name in SYSTEMS:
        print(f"  {name:15s} {base}/mocks/{name}/   spec {base}/mocks/{name}/openapi.json   ui {base}/mocks/{name}/ui/")
    print(f"  control API    {base}/mocks/<system>/__admin/  (spec: /mocks/<system>/__admin/openapi.json)")
    print("Ctrl-C stops.", flush=True)
    config = uvicorn.Config(root, host=host, port=port, log_config=None, access_log=True)
    try:
        uvicorn.Server(config).run()
    except KeyboardInterrupt:
        pass  # uvicorn re-raises Ctrl-C after its graceful shutdown: that is the normal way out
    print("Stopped.", flush=True)


if __name__ == "__main__":
    main()
