"""The stack's floor (issue 18): what connexion itself reaches on RR's spec, with nothing of the product in it.

A bare `connexion.FlaskApp` on claro_backoffice/openapi/mocks/rr.yaml, request validation on (strict, as the
mocks), every operation answered by one view returning the bytes the product answered (captured at the start of
the run, as for the Flask baseline): no SQLite, no kit middleware, no journal, no access log. Served by uvicorn in
one process (as `make run`) and in two (`--workers 2`, the machine's two cores). No connexion-based RR mock can go
faster than this on the same machine, so its ratio to Prism bounds the product's.

`spec_loads()` is the same kind of floor for the cold start: connexion's `add_api` of the specs the product serves
(the gateway's, and each mock's with the control API's), which validates each against the OpenAPI schema at every
start (connexion has no option to skip it or reuse an earlier validation). `python -m benchmarks.connexion_floor
VAR_DIR` runs it in a process of its own, as a start does, and prints its JSON: make bench's runner measures case
flows in its own process afterwards, which 27 apps' worth of garbage left behind would slow.

`uvicorn --factory benchmarks.connexion_floor:create_app` with BENCH_GET_BODY / BENCH_POST_BODY set."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from benchmarks import common
from claro_backoffice.core.quiet_import import connexion_quietly

RR_SPEC = Path(__file__).resolve().parent.parent / "claro_backoffice" / "openapi" / "mocks" / "rr.yaml"
GATEWAY_SPEC = RR_SPEC.parent.parent / "gateway.yaml"


def create_app():  # a connexion.FlaskApp; connexion is imported when this runs (the bench's runner has no need of it)
    with connexion_quietly():
        import connexion
        from connexion.resolver import Resolver
    from flask import Response, request

    get_body = Path(os.environ["BENCH_GET_BODY"]).read_bytes()
    post_body = Path(os.environ["BENCH_POST_BODY"]).read_bytes()

    def answer(**_params) -> Response:
        if request.method == "POST":
            return Response(post_body, 201, content_type="application/json")
        return Response(get_body, 200, content_type="application/json")

    app = connexion.FlaskApp("connexion_floor", specification_dir=str(RR_SPEC.parent))
    app.add_api(RR_SPEC.name, strict_validation=True, resolver=Resolver(function_resolver=lambda _op: answer))
    return app


def spec_loads(var_dir: Path) -> dict:
    """Seconds connexion's add_api takes over the product's specs (parsed as the product parses them, the parse
    cached under var_dir as its own start caches it): the part of every start no option of connexion removes."""
    with connexion_quietly():
        import connexion

    from claro_backoffice.core import parsed_specs
    from claro_backoffice.core.systems import SYSTEMS
    from claro_backoffice.mocks.kit.paths import mock_specs_dir

    names = [f"{system}.yaml" for system in SYSTEMS] + ["admin.yaml"] * len(SYSTEMS)
    specs = [parsed_specs.load(mock_specs_dir() / name, var_dir) for name in names]
    specs.append(parsed_specs.load(GATEWAY_SPEC, var_dir))
    began = time.perf_counter()
    for spec in specs:
        connexion.FlaskApp("spec_load").add_api(spec, resolver_error=501)
    return {"specs": len(specs), "seconds": time.perf_counter() - began}


def spec_loads_apart(var_dir: Path) -> dict:
    """spec_loads() in a new Python process (see the module's docstring)."""
    return json.loads(common.run_module("benchmarks.connexion_floor", [str(var_dir)], 300))


if __name__ == "__main__":
    print(json.dumps(spec_loads(Path(sys.argv[1]))))
