"""create_mock_app(): one mock = one connexion FlaskApp built from openapi/mocks/<system>.yaml, with the
control API (openapi/mocks/admin.yaml) under /__admin/ and the kit's middleware around both."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable, Mapping, Sequence

import connexion
import flask
from connexion.jsonifier import Jsonifier
from connexion.middleware import MiddlewarePosition

from claro_backoffice.core import inputs, media_types, parsed_specs
from claro_backoffice.core.allow import AllowHeaderMiddleware, route_path, spec_routes
from claro_backoffice.core.path_guard import PathGuardMiddleware
from claro_backoffice.core.problems import problem_body
from claro_backoffice.mocks.kit.conflicts import unique_conflict
from claro_backoffice.mocks.kit.context import RUNTIME_KEY, MockRuntime, close_session
from claro_backoffice.mocks.kit.idempotency import keyed_operations
from claro_backoffice.mocks.kit.middleware import KitMiddleware
from claro_backoffice.mocks.kit.paths import mock_specs_dir
from claro_backoffice.mocks.kit.resolver import JsonViewResolver
from claro_backoffice.mocks.kit.served import ServedShapes
from claro_backoffice.mocks.kit.settings import MockSettings
from claro_backoffice.mocks.kit.store import SandboxStore, SeedFn
from claro_backoffice.mocks.kit.worlds import WorldCache
from claro_backoffice.transport import inline_views


def create_mock_app(
    system: str,
    *,
    seed_fn: SeedFn,
    routes_module: str,
    settings: MockSettings | None = None,
    worlds: WorldCache | None = None,
    personalise: Callable[[sqlite3.Connection, str], None] | None = None,
    served_as: Mapping[str, Sequence[str]] | None = None,
) -> connexion.FlaskApp:
    """personalise: see SandboxStore. served_as: the spec's schemas that serve each table (mocks/kit/served.py),
    which fixtures are checked against. A request from the in-process transport, or handed to a worker thread by
    `make run` (transport/threaded.py), runs its view and the kit's SQLite work in that thread (inline_views);
    served any other way, on connexion's worker threads and the kit's own: none of it on an event loop."""
    settings = settings or MockSettings.from_env()
    store = SandboxStore(
        system,
        settings.var_dir,
        settings.world,
        worlds or WorldCache(),
        seed_fn,
        clock_frozen=settings.clock_frozen,
        personalise=personalise,
        event_retention=settings.event_retention,
    )
    store.ensure_default()

    # Parsed here (libyaml, or the parse an earlier start cached under VAR_DIR) and handed to connexion as dicts:
    # connexion's own loading renders each file as a Jinja template and parses it with PyYAML's pure-Python loader.
    business, admin = (
        parsed_specs.load(mock_specs_dir() / name, settings.var_dir) for name in (f"{system}.yaml", "admin.yaml")
    )
    runtime = MockRuntime(
        system=system,
        settings=settings,
        store=store,
        served=ServedShapes(system, copy.deepcopy(business), served_as or {}),
    )
    routes = spec_routes(business) + spec_routes(admin, "/__admin")  # before connexion, which may alter the dicts
    keyed = keyed_operations(business)
    resolvers = JsonViewResolver(routes_module, keyed), JsonViewResolver("claro_backoffice.mocks.kit.control")
    body_types = media_types.body_types(business, resolvers[0]) | media_types.body_types(
        admin, resolvers[1], "/__admin"
    )
    app = connexion.FlaskApp(
        f"claro_backoffice.mocks.{system}",
        specification_dir=str(mock_specs_dir()),
        middlewares=inline_views.middlewares(lambda: app.app.wsgi_app),
    )
    # Compact JSON: connexion's default (indent=2) takes the json module's pure-Python encoder, ~10% of a request.
    common = dict(
        strict_validation=True,
        validate_responses=settings.validate_responses,
        jsonifier=Jsonifier(flask.json),
        validator_map=inputs.validator_map(),
    )
    app.add_api(business, resolver=resolvers[0], **common)
    app.add_api(admin, base_path="/__admin", resolver=resolvers[1], **common)
    app.app.config[RUNTIME_KEY] = runtime
    app.app.json.ensure_ascii = False
    app.app.teardown_appcontext(close_session)
    app.app.register_error_handler(sqlite3.IntegrityError, unique_conflict)
    inputs.install(
        app,
        max_body_bytes=settings.max_body_bytes,
        body_types=body_types,
        render=lambda status, detail, kind: problem_body(status, detail, kind, None, system=system),
    )
    app.add_middleware(KitMiddleware, position=MiddlewarePosition.BEFORE_SECURITY, runtime=runtime)
    app.add_middleware(
        AllowHeaderMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, routes=routes, path_of=route_path
    )
    app.add_middleware(PathGuardMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, system=system)
    app.runtime = runtime  # for the composition root (idle WAL checkpoints) and tests
    return app
