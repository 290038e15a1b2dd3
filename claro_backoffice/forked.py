"""Split mode's children (`make run-split`, serve.py): one process per system, forked from the composition root
once it has imported every system's code, so the children share those pages instead of each importing it all again
(14 processes took 1.17 GB that way)."""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
import socket
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence

from starlette.applications import Starlette


class SystemProcess:
    """A split-mode child serving one system, forked from this process: what split mode asks of it (poll,
    returncode, terminate, wait), as subprocess.Popen has it."""

    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        self.process = process

    @property
    def returncode(self) -> int | None:
        return self.process.exitcode  # -N when a signal N ended it, as Popen's

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.process.terminate()

    def wait(self, timeout: float | None = None) -> int:
        self.process.join(timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(f"split mode's {self.process.name}", timeout or 0)
        return self.returncode


def _run_system(
    serve: Callable[..., None], system: str, sock: socket.socket, env: dict[str, str], others: list[socket.socket]
) -> None:
    """A forked child's life: its own environment (PORT, GATEWAY_URL), only its own socket, the system served."""
    gc.enable()  # the parent's objects stay frozen (never scanned, so never copied); the child's own are collected
    for other in others:
        other.close()
    os.environ.clear()
    os.environ.update(env)
    serve(system, sock=sock)


def _run_preparation(prepare: Callable[[], None]) -> None:
    gc.enable()  # as a system's child: its own objects are collected, the frozen ones never scanned
    prepare()


def prepare_once(context: multiprocessing.context.BaseContext, prepare: Callable[[], None]) -> None:
    """Runs prepare() in a child of its own, forked like the systems' and gone before they start: what it builds
    (a fresh VAR_DIR's world and templates) stays on disk, and the memory it took goes with it rather than staying
    in the parent's heap, which every system's child would inherit."""
    process = context.Process(target=_run_preparation, args=(prepare,), name="prepare")
    process.start()
    try:
        process.join()
    except BaseException:  # Ctrl-C meanwhile: it is stopped too, not left running on its own
        process.terminate()
        process.join()
        raise
    if process.exitcode != 0:
        raise RuntimeError(f"split mode's preparation exited with {process.exitcode} before any system started")


def fork_systems(
    socks: Mapping[str, socket.socket],
    envs: Mapping[str, dict[str, str]],
    serve: Callable[..., None],
    parents: Sequence[socket.socket] = (),
    prepare: Callable[[], None] | None = None,
) -> dict[str, SystemProcess]:
    """Split mode's children, one per system, each forked from this process once it has imported every system's
    code: the children share those pages (and each its socket, bound here) instead of importing it all again,
    which took 14 processes to 1.17 GB. Forked before any thread starts (a fork copies only the calling thread,
    and a lock another thread held stays locked in the child); gc.freeze() keeps the collector from writing to
    the imported objects' headers, which would copy their pages into each child. `parents`: the parent's own
    sockets (the gateway's), which the children close. Each child calls serve(system, sock=its socket). `prepare`:
    what every system needs done once before any of them starts (serve.py: a fresh VAR_DIR's world and
    templates), run to its end in a short-lived child first (prepare_once); its failure is a RuntimeError."""
    for name in socks:  # each system's code, and what the kit imports only as an app is built
        for module in ("app", "routes"):
            importlib.import_module(f"claro_backoffice.mocks.{name}.{module}")
    importlib.import_module("claro_backoffice.mocks.kit.control")
    preload_serving()
    running = [thread.name for thread in threading.enumerate() if thread is not threading.main_thread()]
    if running:
        raise RuntimeError(f"split mode forks its systems before any thread starts; running: {running}")
    context = multiprocessing.get_context("fork")
    gc.disable()
    gc.freeze()
    try:
        if prepare is not None:
            prepare_once(context, prepare)
        children = {}
        for name, sock in socks.items():
            others = [other for other in [*socks.values(), *parents] if other is not sock]
            process = context.Process(target=_run_system, args=(serve, name, sock, envs[name], others), name=name)
            process.start()
            children[name] = SystemProcess(process)
    finally:
        gc.enable()
    for sock in socks.values():
        sock.close()  # each child holds its own now
    return children


def preload_serving() -> None:
    """What serving a request imports on first use (uvicorn and its protocol modules), imported once here so split
    mode's children share it."""
    import uvicorn

    uvicorn.Config(Starlette(), log_config=None, lifespan="off").load()
