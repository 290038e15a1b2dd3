"""create_app(): the gateway, a connexion FlaskApp built from openapi/gateway.yaml.

Short operationIds resolve relative to gateway.api; strict request validation; response validation from the
settings (on in tests); bearer security (gateway/security.py); DownstreamError rendered as problem+json naming the
system. The spec's paths are relative: the composition root mounts the app at /api/v1, where connexion serves
the spec at /api/v1/openapi.json and Swagger UI at /api/v1/ui/.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import connexion
import flask
from connexion.jsonifier import Jsonifier
from connexion.middleware import MiddlewarePosition

from claro_backoffice.core import inputs, media_types, parsed_specs
from claro_backoffice.core.allow import AllowHeaderMiddleware, spec_routes
from claro_backoffice.core.path_guard import PathGuardMiddleware
from claro_backoffice.core.problems import problem_body
from claro_backoffice.core.resolver import JsonViewResolver
from claro_backoffice.gateway import errors, logmask
from claro_backoffice.gateway.api.calls import require_sandbox
from claro_backoffice.gateway.backoffice import Backoffice, BackofficeHttp, CallContext
from claro_backoffice.gateway.cases.clock import Clocks
from claro_backoffice.gateway.cases.numbers import BusinessNumbers
from claro_backoffice.gateway.cases.store import CrmStore
from claro_backoffice.gateway.cases.timeline import CaseTimeline
from claro_backoffice.gateway.runtime import RUNTIME_KEY, GatewayRuntime, RuntimeMiddleware, operation_roles, spec_path
from claro_backoffice.gateway.sandboxes import SandboxRegistry, ask_systems, sandboxed_operations
from claro_backoffice.gateway.services.fanout import FanOutPool
from claro_backoffice.gateway.settings import GatewaySettings
from claro_backoffice.transport import inline_views
from claro_backoffice.world.catalogues import Catalogues


def create_app(
    settings: GatewaySettings | None = None,
    http: BackofficeHttp | None = None,
    wall_clock: Callable[[], float] = time.time,
) -> connexion.FlaskApp:
    """`http` injects the adapters' shared requests.Session, the backoff's sleep and the breaker's clock;
    `wall_clock` the Unix time issued tokens expire by."""
    settings = settings or GatewaySettings.from_env()
    logmask.install()
    path = spec_path()
    # Parsed once (libyaml, or the parse an earlier start cached under VAR_DIR) and handed to connexion as a dict:
    # connexion's own loading renders the file as a Jinja template and parses it with PyYAML's pure-Python loader.
    spec = parsed_specs.load(path, settings.var_dir)
    routes = spec_routes(spec)
    sandboxed = sandboxed_operations(spec)
    backoffice = Backoffice(settings, http)
    sandboxes = SandboxRegistry(lambda name: ask_systems(backoffice, name))
    crm = CrmStore(settings.var_dir, require=sandboxes.require)
    clocks = Clocks(lambda sandbox: backoffice.meta.get_clock(CallContext(sandbox)))
    backoffice.observe(CaseTimeline(crm, clocks).record)
    runtime = GatewayRuntime(
        settings=settings,
        backoffice=backoffice,
        executor=FanOutPool(settings.workers, in_turn=settings.fanout_in_turn),
        roles=operation_roles(spec),
        crm=crm,
        clocks=clocks,
        numbers=BusinessNumbers(lambda: [s["name"] for s in backoffice.meta.list_sandboxes(CallContext())]),
        typifications={t["code"]: t for t in Catalogues.load().typifications},
        sandboxes=sandboxes,
        wall_clock=wall_clock,
    )
    app = connexion.FlaskApp(
        "claro_backoffice.gateway",
        specification_dir=str(path.parent),
        middlewares=inline_views.middlewares(lambda: app.app.wsgi_app),
    )
    # Every operation that acts in a sandbox checks first that it exists (gateway/sandboxes.py).
    resolver = JsonViewResolver(
        "claro_backoffice.gateway.api", before=lambda op: require_sandbox if op.operation_id in sandboxed else None
    )
    body_types = media_types.body_types(spec, resolver)  # before connexion, which may alter the dict
    # Compact JSON: connexion's default (indent=2) takes the json module's pure-Python encoder, ~10% of a request.
    app.add_api(
        spec,
        resolver=resolver,
        strict_validation=True,
        validate_responses=settings.validate_responses,
        pythonic_params=True,
        jsonifier=Jsonifier(flask.json),
        validator_map=inputs.validator_map(),
    )
    app.app.config[RUNTIME_KEY] = runtime
    app.app.json.ensure_ascii = False
    app.app.json.sort_keys = False
    errors.install(app)
    inputs.install(app, max_body_bytes=settings.max_body_bytes, body_types=body_types, render=problem_body)
    app.add_middleware(RuntimeMiddleware, position=MiddlewarePosition.BEFORE_SECURITY, runtime=runtime)
    app.add_middleware(AllowHeaderMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, routes=routes)
    app.add_middleware(PathGuardMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.runtime = runtime  # for tests and the composition root: adapters, breakers, executor
    return app
