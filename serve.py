"""The composition root: the gateway and every mock as separate apps in one ASGI process.

`python -m serve` (what `make run` does) serves on HOST:PORT (127.0.0.1:8000): the gateway under /api/v1/ and each
system under /mocks/<system>/, each with its spec at .../openapi.json and Swagger UI at .../ui/. The gateway
reaches the mocks over HTTP like any other client (BACKOFFICE_<SYSTEM>_URL, by default this same server). Separate
apps, never one app with several APIs: each keeps its own worker threads, so a gateway request waiting on a mock
can't starve it. The only module that sees every side.
"""
from __future__ import annotations

import contextlib
import importlib
import logging
import os

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from gateway import logmask
from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from mocks.kit.settings import MockSettings
from mocks.kit.worlds import WorldCache

SYSTEMS = ("rr", "ac", "diagnosticador", "sara", "cci", "cmax", "ascard", "portalpac", "dime", "paradigma", "gestion",
           "almabi", "meta")


def create_mock_apps(settings: MockSettings, systems=SYSTEMS) -> dict:
    worlds = WorldCache()
    return {name: importlib.import_module(f"mocks.{name}.app").create_app(settings=settings, worlds=worlds)
            for name in systems}


def create_root(settings: MockSettings | None = None, systems=SYSTEMS,
                gateway_settings: GatewaySettings | None = None) -> Starlette:
    settings = settings or MockSettings.from_env()
    apps = create_mock_apps(settings, systems)
    gateway = create_gateway(gateway_settings or GatewaySettings.from_env())

    async def index(_request):
        return JSONResponse({
            "gateway": {"base": "/api/v1/", "spec": "/api/v1/openapi.json", "ui": "/api/v1/ui/"},
            "mocks": {name: {"base": f"/mocks/{name}/", "spec": f"/mocks/{name}/openapi.json",
                             "ui": f"/mocks/{name}/ui/", "control": f"/mocks/{name}/__admin/"} for name in apps}})

    routes = [Route("/", index), Mount("/api/v1", app=gateway)]
    routes += [Mount(f"/mocks/{name}", app=app) for name, app in apps.items()]

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        gateway.runtime.close()  # the gateway's worker threads end with the server

    return Starlette(routes=routes, lifespan=lifespan)


def main() -> None:
    import uvicorn

    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8000"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logmask.install()  # documents and phones never reach a log line, the access log included
    settings = MockSettings.from_env()
    print(f"Seeding the world (seed {settings.world.seed}, {settings.world.size} customers, reference date "
          f"{settings.world.reference_date}) into {settings.var_dir.resolve()} ...", flush=True)
    root = create_root(settings)
    base = f"http://{host}:{port}"
    print("Claro Premium back office, simulated. Serving:")
    print(f"  gateway        {base}/api/v1/   spec {base}/api/v1/openapi.json   ui {base}/api/v1/ui/")
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
