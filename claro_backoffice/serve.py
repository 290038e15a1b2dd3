"""The composition root: the gateway and every mock as separate apps in one ASGI process.

`python -m claro_backoffice.serve` (what `make run` does, through `claro-backoffice serve`) serves on HOST:PORT
(127.0.0.1:8000; PORT=0: any free port, named by the line `serve: listening on URL` it prints once GET
/api/v1/health answers 200, i.e. every system answers): the gateway under /api/v1/ and each system under
/mocks/<system>/, each with its spec at .../openapi.json and Swagger UI at .../ui/. The gateway reaches each mock at
BACKOFFICE_<SYSTEM>_URL, by default this same server: those calls go in-process (`transport.inprocess`: the mock's
whole ASGI app, validation and faults included, called from the gateway's thread, no loopback socket) unless
GATEWAY_IN_PROCESS=0; a URL elsewhere is called over HTTP. Separate apps, never one app with several APIs: a request
over the socket runs whole on a worker thread of its own system's (`transport.threaded`), so requests waiting on one
system can't starve another. The only module that sees every side.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import importlib
import ipaddress
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

import requests
from a2wsgi import WSGIMiddleware
from flask import Flask
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from claro_backoffice import forked
from claro_backoffice.core.quiet_import import connexion_quietly

with connexion_quietly():  # the first import of connexion, through these
    from claro_backoffice.console.app import create_app as create_console
    from claro_backoffice.console.settings import ConsoleSettings
    from claro_backoffice.core import env as read
    from claro_backoffice.core.idle import IdleHousekeeping
    from claro_backoffice.core.open_files import raise_open_files_limit
    from claro_backoffice.core.path_guard import PathGuardMiddleware
    from claro_backoffice.core.systems import SYSTEMS
    from claro_backoffice.gateway import logmask
    from claro_backoffice.gateway.app import create_app as create_gateway
    from claro_backoffice.gateway.backoffice import BackofficeHttp
    from claro_backoffice.gateway.settings import DEV_TOKEN_SECRET, DEV_TOKENS, GatewaySettings
    from claro_backoffice.mocks.kit.settings import MockSettings
    from claro_backoffice.mocks.kit.worlds import WorldCache
    from claro_backoffice.transport.inprocess import InProcessAdapter, InProcessCaller
    from claro_backoffice.transport.threaded import ServedOnThreads

IDLE_SECONDS = 30  # without a request for this long, the WAL files are checkpointed
# The console's Flask views run on a2wsgi's threads, each held while its gateway call runs: at a2wsgi's default of
# 10, a class of 60 polling every 2 s queued for them (issue 18: p95 2.2 s; 475 ms with 40, the same CPU a request).
CONSOLE_THREADS = 40
# The gateway's and each mock's requests over a socket each run whole on a thread of that app's own
# (transport/threaded.py), made as needed: room for a class's flows and for requests a fault's delay holds.
GATEWAY_THREADS = 32
MOCK_THREADS = 16
# With every system in this process, a fan-out's calls run in turn, each given this long before the rest start at
# once (gateway/services/fanout.py): an in-process call takes ~1 ms; a fault's delay is what outlasts it.
FANOUT_IN_TURN = 0.005


def create_mock_apps(settings: MockSettings, systems=SYSTEMS) -> dict:
    worlds = WorldCache()
    return {
        name: importlib.import_module(f"claro_backoffice.mocks.{name}.app").create_app(settings=settings, worlds=worlds)
        for name in systems
    }


def in_process_transports(
    apps: dict, urls: dict[str, str], host: str, port: int, caller: InProcessCaller | None = None
) -> dict[str, InProcessAdapter]:
    """For each system whose URL is this server's own mount of it, a requests adapter calling its app in-process
    (through `caller`), keyed by the URL prefix the gateway's sessions mount it on."""
    own = {f"127.0.0.1:{port}", f"localhost:{port}", f"{host}:{port}"}
    caller = caller or InProcessCaller()
    transports = {}
    for system, url in urls.items():
        parts = urlsplit(url)
        if (
            system in apps
            and parts.scheme == "http"
            and parts.netloc in own
            and parts.path.rstrip("/") == f"/mocks/{system}"
        ):
            caller.warm(apps[system])
            transports[url.rstrip("/") + "/"] = InProcessAdapter(caller, apps[system], url)
    return transports


def console_app(settings: ConsoleSettings, transports: dict[str, InProcessAdapter] | None = None) -> WSGIMiddleware:
    """The advisor's console (console/), an ASGI app for /console. Its calls to the gateway and to Meta go through
    `transports` (URL prefix -> in-process adapter) when they are this server's own, else over HTTP."""
    http = requests.Session()
    for prefix, adapter in (transports or {}).items():
        http.mount(prefix, adapter)
    if transports and all(url.rstrip("/") + "/" in transports for url in (settings.gateway_url, settings.meta_url)):
        # Every call stays in this process: no proxy, .netrc or CA bundle can apply, and requests would read the
        # environment again on every call (a scan of os.environ: ~6% of a console poll, issue 18).
        http.trust_env = False
    return console_asgi(create_console(settings, http))


def console_asgi(console: Flask) -> WSGIMiddleware:
    """The console's Flask app served as ASGI, its views on CONSOLE_THREADS threads."""
    return WSGIMiddleware(console, workers=CONSOLE_THREADS)


def console_transports(
    console: ConsoleSettings, gateway, apps: dict, host: str, port: int, caller: InProcessCaller
) -> dict[str, InProcessAdapter]:
    """In-process adapters for the console's calls to this same server: the gateway at /api/v1, Meta's simulator."""
    own = {f"127.0.0.1:{port}", f"localhost:{port}", f"{host}:{port}"}
    found = {}
    for url, path, app in (
        (console.gateway_url, "/api/v1", gateway),
        (console.meta_url, "/mocks/meta", apps.get("meta")),
    ):
        parts = urlsplit(url)
        if app is not None and parts.scheme == "http" and parts.netloc in own and parts.path.rstrip("/") == path:
            caller.warm(app)
            found[url.rstrip("/") + "/"] = InProcessAdapter(caller, app, url)
    return found


def own_gateway_session(gateway, host: str, port: int, caller: InProcessCaller) -> requests.Session:
    """Meta's webhooks to this same server's gateway, in-process like the gateway's calls to the mocks (any other
    webhook URL over the network, as before): over loopback each cost a connection, a new session, uvicorn's parsing
    and the root app, ~15 times a case flow (issue 18)."""
    session = requests.Session()
    session.trust_env = False  # a webhook goes straight to the gateway, never through a proxy from the environment
    for netloc in {f"127.0.0.1:{port}", f"localhost:{port}", f"{host}:{port}"}:
        base = f"http://{netloc}/api/v1"
        session.mount(base + "/", InProcessAdapter(caller, gateway, base))
    return session


def create_root(
    settings: MockSettings | None = None,
    systems=SYSTEMS,
    gateway_settings: GatewaySettings | None = None,
    serving: tuple[str, int] | None = None,
    console_settings: ConsoleSettings | None = None,
) -> Starlette:
    """serving: this server's (host, port), when the gateway (and the console) are to call the apps it serves
    in-process."""
    settings = settings or MockSettings.from_env()
    gateway_settings = gateway_settings or GatewaySettings.from_env()
    console_settings = console_settings or ConsoleSettings.from_env(os.environ)
    apps = create_mock_apps(settings, systems)
    caller = InProcessCaller()
    transports = (
        in_process_transports(apps, dict(gateway_settings.backoffice_urls), *serving, caller=caller) if serving else {}
    )
    if transports and len(transports) == len(gateway_settings.backoffice_urls):
        gateway_settings = dataclasses.replace(gateway_settings, fanout_in_turn=FANOUT_IN_TURN)
    gateway = create_gateway(gateway_settings, BackofficeHttp(transports=transports))
    console = console_app(
        console_settings, console_transports(console_settings, gateway, apps, *serving, caller) if serving else {}
    )
    if serving and "meta" in apps:
        apps["meta"].runtime.outbound = own_gateway_session(gateway, *serving, caller)

    async def index(_request):
        return JSONResponse(
            {
                "gateway": {"base": "/api/v1/", "spec": "/api/v1/openapi.json", "ui": "/api/v1/ui/"},
                "console": {"base": "/console/", "customer": "/console/customer/"},
                "mocks": {
                    name: {
                        "base": f"/mocks/{name}/",
                        "spec": f"/mocks/{name}/openapi.json",
                        "ui": f"/mocks/{name}/ui/",
                        "control": f"/mocks/{name}/__admin/",
                    }
                    for name in apps
                },
            }
        )

    served = {"gateway": ServedOnThreads(gateway, caller, GATEWAY_THREADS, "gateway")}
    served |= {name: ServedOnThreads(app, caller, MOCK_THREADS, name) for name, app in apps.items()}
    routes = [Route("/", index), Mount("/api/v1", app=served["gateway"])]
    routes += [Mount("/console", app=console)]  # its views on threads of its own (a2wsgi)
    routes += [Mount(f"/mocks/{name}", app=served[name]) for name in apps]
    # A control character in a path matches no mount: answer a 400 problem rather than Starlette's text 404.
    root = Starlette(routes=routes, middleware=[Middleware(PathGuardMiddleware)])
    root.state.gateway, root.state.mocks, root.state.in_process, root.state.served = gateway, apps, caller, served
    return root


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, port 0 meaning any free one. Bound before anything that names this server's
    address is built, so that is built from the real port, and no other process can take the port in between.
    Not listening yet: until uvicorn listens on it, a connection is refused rather than left hanging."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        sys.exit(f"serve: cannot listen on {host}:{port}: {exc}")
    return sock


def ready_line(url: str, system: str | None = None) -> str:
    """The machine-readable line saying where a server is (tests/support/server.py reads it; PORT=0 needs it)."""
    return f"serve: system {system} on {url}" if system else f"serve: listening on {url}"


def announce_when_ready(
    sock: socket.socket, line: str, stopped: threading.Event, children: Mapping[str, subprocess.Popen] | None = None
) -> threading.Thread:
    """Prints `line` (the ready line) once this server's GET /api/v1/health answers 200, i.e. once it listens and
    every system answers (split mode's children start on their own), so a pipeline reading the line, or waiting
    on the health check, never starts on a half-started server. Asks over the socket itself, as a client would."""
    host, port = sock.getsockname()[:2]
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/api/v1/health"

    def watch() -> None:
        http = requests.Session()
        http.trust_env = False  # a proxy from the environment must not answer for this server
        told: set[str] = set()
        while not stopped.is_set():
            try:
                if http.get(url, timeout=10).status_code == 200:
                    print(line, flush=True)
                    return
            except requests.RequestException:
                pass  # not listening yet, or too busy starting to answer in time
            for system, child in (children or {}).items():
                if child.poll() is not None and system not in told:
                    told.add(system)
                    print(f"serve: system {system} exited with {child.returncode}", file=sys.stderr, flush=True)
            stopped.wait(0.1)

    thread = threading.Thread(target=watch, name="ready-line", daemon=True)
    thread.start()
    return thread


def wal_checkpoints(gateway=None, mocks=()) -> list:
    """Every SQLite WAL the process writes, truncated when it is idle and when it stops (core/wal.py): each mock's
    sandboxes and the event logs it wrote to, and the gateway's CRM."""
    tasks = [app.runtime.store.checkpoint for app in mocks]
    return tasks + ([gateway.runtime.crm.checkpoint] if gateway is not None else [])


def idle_sweeps(gateway=None, mocks=()) -> list:
    """Every few seconds, busy or not: each store closes the SQLite connections and keepers it has left idle for too
    long (core/sqlite_pool.py). A store closes them as its own connections come back, but one that gets no requests
    (the systems a class never calls) kept every sandbox's open: 40 trainees, ~1,100 connections."""
    sweeps = [app.runtime.store.close_idle for app in mocks]
    return sweeps + ([gateway.runtime.crm.close_idle] if gateway is not None else [])


def _serve_with_housekeeping(
    app,
    sock: socket.socket,
    tasks: list,
    sweeps: list,
    ready_line: str | None = None,
    children: dict | None = None,
) -> None:
    """Serves until Ctrl-C; `ready_line` is printed once the server answers its health check (announce_when_ready)."""
    raise_open_files_limit()
    settle_heap()
    housekeeping = IdleHousekeeping(app, tasks, idle_seconds=IDLE_SECONDS, sweeps=sweeps)
    housekeeping.start()
    stopped = threading.Event()
    if ready_line is not None:
        announce_when_ready(sock, ready_line, stopped, children)
    try:
        _serve(housekeeping, sock)
    finally:
        stopped.set()
        housekeeping.stop()  # and a last checkpoint: the server has stopped serving


def settle_heap() -> None:
    """Everything built to start (specs, validators, apps, modules: ~160,000 objects) is moved out of the garbage
    collector's reach before serving: a full collection walked all of it, 250-350 ms with every thread stopped,
    several times a minute under load, and landed in the p99 of every request (issue 18: RR GET p99 0.6 of before).
    What serving creates is collected as before; the frozen objects are those alive now, which stay for the
    process's life."""
    gc.collect()
    gc.freeze()


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name or 0.0.0.0: reachable from elsewhere


def insecure_defaults(env=os.environ) -> list[str]:
    """What would let anyone in when serving beyond loopback: the development tokens, the development token-signing
    secret (anyone could sign an admin token with it), the seeded WhatsApp secret."""
    settings = GatewaySettings.from_env(env)
    found = []
    dev = sorted({entry.split(":")[0] for entry in DEV_TOKENS} & set(settings.tokens))
    if dev:
        found.append(f"the development gateway tokens ({', '.join(dev)}): set GATEWAY_TOKENS without them")
    if settings.token_secret == DEV_TOKEN_SECRET:
        found.append("the development token-signing secret: set TOKEN_SECRET (32 characters or more)")
    if settings.whatsapp_app_secret == GatewaySettings().whatsapp_app_secret:
        found.append("the seeded WhatsApp app secret: set WHATSAPP_APP_SECRET")
    return found


def startup_refusal(env=os.environ) -> str | None:
    """Why serving on HOST must not start (None: it may): HOST is not a loopback address and insecure defaults are
    in use, unless ALLOW_INSECURE_DEFAULTS=1."""
    host = env.get("HOST", "127.0.0.1")
    if is_loopback(host) or read.flag(env, "ALLOW_INSECURE_DEFAULTS", False):
        return None
    found = insecure_defaults(env)
    if not found:
        return None
    lines = [f"Refusing to serve on HOST={host} (not a loopback address) with insecure defaults:"]
    lines += [f"  - {item}" for item in found]
    lines.append("Set them, serve on 127.0.0.1, or set ALLOW_INSECURE_DEFAULTS=1 to accept the risk.")
    if not env.get("MOCK_ADMIN_TOKEN"):
        lines.append("The mocks' control APIs (/__admin/) are open too: set MOCK_ADMIN_TOKEN to protect them.")
    return "\n".join(lines)


def gateway_in_process(env=os.environ) -> bool:
    """GATEWAY_IN_PROCESS (on): the gateway calls the mocks served with it in-process, not over loopback HTTP."""
    return read.flag(env, "GATEWAY_IN_PROCESS", True)


def _refuse_insecure_defaults() -> None:
    refusal = startup_refusal()
    if refusal:
        print(refusal, file=sys.stderr, flush=True)
        raise SystemExit(2)
    if not is_loopback(os.environ.get("HOST", "127.0.0.1")) and not os.environ.get("MOCK_ADMIN_TOKEN"):
        print(
            "Warning: the mocks' control APIs (/__admin/) are open to anyone who reaches this host: set "
            "MOCK_ADMIN_TOKEN to protect them.",
            file=sys.stderr,
            flush=True,
        )


def _serve(app, sock: socket.socket) -> None:
    import uvicorn

    # No lifespan: the mounted apps have nothing to start, and a lifespan task cut by Ctrl-C prints a traceback.
    config = uvicorn.Config(app, log_config=None, access_log=True, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises Ctrl-C after its graceful shutdown: that is the normal way out


def split_ports(env=os.environ) -> dict[str, int]:
    """Split mode: each system on its own port, SPLIT_BASE_PORT (8101) upwards, in SYSTEMS order; 0: any free ones."""
    first = read.integer(env, "SPLIT_BASE_PORT", 8101)
    return {name: first + n if first else 0 for n, name in enumerate(SYSTEMS)}


def main_split() -> None:
    """`make run-split`: every system in a process of its own on its own port, and the gateway on HOST:PORT
    finding them through BACKOFFICE_<SYSTEM>_URL; Ctrl-C stops them all."""
    _refuse_insecure_defaults()
    host = os.environ.get("HOST", "127.0.0.1")
    # Every socket is bound here first: the gateway knows every system's real URL before any child starts, and
    # each child is handed its own socket (kept across the fork) rather than a port someone else could take meanwhile.
    gateway_sock = listen(host, int(os.environ.get("PORT", "8000")))
    system_socks = {name: listen("127.0.0.1", system_port) for name, system_port in split_ports().items()}
    port = gateway_sock.getsockname()[1]
    ports = {name: sock.getsockname()[1] for name, sock in system_socks.items()}
    base_env = dict(os.environ, GATEWAY_URL=f"http://127.0.0.1:{port}/api/v1")
    envs = {name: dict(base_env, PORT=str(ports[name])) for name in ports}
    try:
        children = forked.fork_systems(
            system_socks, envs, main_one, parents=[gateway_sock], prepare=functools.partial(prepare_split, base_env)
        )
    except RuntimeError as exc:
        sys.exit(f"serve: {exc}")
    # uvicorn shuts down gracefully on SIGTERM and then raises it again under the handler it found: the default one
    # ended this process there, leaving every child running. This one unwinds through the `finally` that stops them.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    env = dict(os.environ, PORT=str(port))
    for name, system_port in ports.items():
        env.setdefault(f"BACKOFFICE_{name.upper()}_URL", f"http://127.0.0.1:{system_port}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logmask.install()
    try:
        gateway = create_gateway(GatewaySettings.from_env(env))
        console = console_app(ConsoleSettings.from_env(env))  # over HTTP: the systems are elsewhere
        caller = InProcessCaller()
        served = ServedOnThreads(gateway, caller, GATEWAY_THREADS, "gateway")
        print("Split mode. Serving:")
        print(f"  gateway        http://{host}:{port}/api/v1/   (ui /api/v1/ui/)")
        print(f"  console        http://{host}:{port}/console/")
        for name, system_port in ports.items():
            print(f"  {name:15s} http://127.0.0.1:{system_port}/   (ui /ui/, control /__admin/)")
        for name, system_port in ports.items():
            print(ready_line(f"http://127.0.0.1:{system_port}", name))
        print("Ctrl-C stops. The ready line follows once every system answers.", flush=True)
        _serve_with_housekeeping(
            Starlette(
                routes=[Mount("/api/v1", app=served), Mount("/console", app=console)],
                middleware=[Middleware(PathGuardMiddleware)],
            ),
            gateway_sock,
            wal_checkpoints(gateway),
            idle_sweeps(gateway),
            ready_line(f"http://{host}:{port}"),
            children,
        )
        gateway.runtime.close()
        served.close()
        caller.close()
    finally:
        for child in children.values():
            child.terminate()
        for child in children.values():
            child.wait(timeout=30)
        print("Stopped.", flush=True)


def prepare_split(env: Mapping[str, str]) -> None:
    """Split mode's preparation, run once before any system's child starts (forked.fork_systems): what a fresh
    VAR_DIR needs before a system serves (the world built, once; every system's template seeded from it, its
    `default` sandbox copied, its spec's parse cached), done as `make run` does it, every system in one process.
    Each child then finds it all on disk, as on a warm VAR_DIR: done in each child after the fork, it took each
    one's heap to ~49 MB rather than ~23 (issue 18: 681 MB for the whole tree rather than 331)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s split-prepare: %(message)s")
    logmask.install()
    apps = create_mock_apps(MockSettings.from_env(env))
    for checkpoint in wal_checkpoints(mocks=apps.values()):
        checkpoint()  # the `default` sandboxes' WALs copied in, not left for each child to recover


def _exit_on_signal(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)  # the exit code a shell reports for a process the signal ended


def main_one(system: str, fd: int | None = None, sock: socket.socket | None = None) -> None:
    """One system alone at the root of its own server (split mode's children): on the socket split mode bound for
    it (file descriptor `fd`), or else on 127.0.0.1:PORT."""
    if sock is None:
        sock = socket.socket(fileno=fd) if fd is not None else listen("127.0.0.1", int(os.environ["PORT"]))
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s %(levelname)s {system}: %(message)s")
    logmask.install()
    app = create_mock_apps(MockSettings.from_env(), (system,))[system]
    caller = InProcessCaller()
    served = ServedOnThreads(app, caller, MOCK_THREADS, system)
    _serve_with_housekeeping(served, sock, wal_checkpoints(mocks=[app]), idle_sweeps(mocks=[app]))
    served.close()
    caller.close()


def _check_settings() -> None:
    """A bad environment value (a port, a world size, REPLICA_ID…) stops the start before anything is bound, with
    the settings' own one-line message naming the variable and exit code 2: not a traceback."""
    env = dict(os.environ)
    try:
        MockSettings.from_env(env)
        GatewaySettings.from_env(env)
        ConsoleSettings.from_env(env)
        port = env.get("PORT", "8000")
        if not (port.isdigit() and int(port) <= 65535):
            raise ValueError(f"PORT must be a port number 0-65535 (0: any free one), not {port!r}")
    except ValueError as exc:
        print(f"serve: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m claro_backoffice.serve [--split]` (and split mode's children, `--only SYSTEM --fd N`); the command
    line's `claro-backoffice serve` sets the environment from its options and calls this."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--only" not in argv:
        _check_settings()
    if "--split" in argv:
        return main_split()
    if "--only" in argv:
        fd = int(argv[argv.index("--fd") + 1]) if "--fd" in argv else None
        return main_one(argv[argv.index("--only") + 1], fd)
    _refuse_insecure_defaults()
    host = os.environ.get("HOST", "127.0.0.1")
    sock = listen(host, int(os.environ.get("PORT", "8000")))
    port = sock.getsockname()[1]
    env = dict(os.environ, PORT=str(port))  # the real port (PORT=0: any free one) for the defaults that name it
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logmask.install()  # documents and phones never reach a log line, the access log included
    settings = MockSettings.from_env(env)
    print(
        f"Seeding the world (seed {settings.world.seed}, {settings.world.size} customers, reference date "
        f"{settings.world.reference_date}) into {settings.var_dir.resolve()} ...",
        flush=True,
    )
    in_process = gateway_in_process()
    root = create_root(
        settings,
        gateway_settings=GatewaySettings.from_env(env),
        serving=(host, port) if in_process else None,
        console_settings=ConsoleSettings.from_env(env),
    )
    base = f"http://{host}:{port}"
    print("Claro Premium back office, simulated. Serving:")
    print(f"  gateway        {base}/api/v1/   spec {base}/api/v1/openapi.json   ui {base}/api/v1/ui/")
    print(f"  console        {base}/console/   (the customer's side: {base}/console/customer/)")
    for name in SYSTEMS:
        print(f"  {name:15s} {base}/mocks/{name}/   spec {base}/mocks/{name}/openapi.json   ui {base}/mocks/{name}/ui/")
    print(f"  control API    {base}/mocks/<system>/__admin/  (spec: /mocks/<system>/__admin/openapi.json)")
    print("Ctrl-C stops. The ready line follows once every system answers.", flush=True)
    gateway, mocks = root.state.gateway, root.state.mocks.values()
    _serve_with_housekeeping(root, sock, wal_checkpoints(gateway, mocks), idle_sweeps(gateway, mocks), ready_line(base))
    root.state.gateway.runtime.close()  # the gateway's worker threads end with the server
    for served in root.state.served.values():
        served.close()  # the threads requests ran on
    root.state.in_process.close()  # and the event loops its in-process calls ran on
    print("Stopped.", flush=True)


if __name__ == "__main__":
    main()
