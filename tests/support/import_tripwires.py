"""Run as a script in a fresh interpreter (tests/gateway/test_app.py): import every module of the project with
tripwires set first, and print as JSON what the imports did that they must not (rule 4 of the house: nothing at
import time). Tripwires: a sqlite3 connection, a socket, a Faker instance, a thread started, an environment
variable read, each when the project's code sets it off (directly or through a library it calls; not a library's
own import-time work), and (checked by the caller) a file created under the working directory or VAR_DIR.

Usage: python import_tripwires.py ROOT PACKAGE... (ROOT: the repository; each PACKAGE imported with its modules).
"""

from __future__ import annotations

import json
import os
import pkgutil
import socket
import sqlite3
import sys
import threading

# A script's state, for one run: what it found, and the project it blames (set from the command line).
EVENTS: dict[str, list[str]] = {"sqlite": [], "socket": [], "faker": [], "thread": [], "env": []}
ROOT = ""
THIS = os.path.realpath(__file__)


def _blame() -> str | None:
    """file:line of the project's code that set the tripwire off, or None when a library did it while being
    imported (urllib3 probes IPv6 with a socket at import: not the project's doing). Walking out from the tripwire,
    the first frame that is either the project's or the import machinery's decides."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith("<frozen importlib"):
            return None
        real = os.path.realpath(name)
        if real.startswith(ROOT + os.sep) and real != THIS and f"{os.sep}.venv{os.sep}" not in real[len(ROOT) :]:
            return f"{os.path.relpath(real, ROOT)}:{frame.f_lineno}"
        frame = frame.f_back
    return None


def _note(kind: str, what: str) -> None:
    where = _blame()
    if where:
        EVENTS[kind].append(f"{what} at {where}")


class _TrippedEnviron(type(os.environ)):
    """os.environ noting the reads the project's code makes (os.getenv, .get, [], `in`, iteration)."""

    def __getitem__(self, key):
        _note("env", f"{key} read")
        return super().__getitem__(key)

    def __iter__(self):
        _note("env", "the whole environment read")
        return super().__iter__()


def _set_tripwires() -> None:
    real = os.environ
    # Same variables, noted reads: os.getenv and every later `os.environ` lookup go through it.
    os.environ = _TrippedEnviron(  # noqa: B003
        real._data,
        real.encodekey,
        real.decodekey,
        real.encodevalue,
        real.decodevalue,
    )

    connect = sqlite3.connect

    def tripped_connect(*args, **kwargs):
        _note("sqlite", f"sqlite3.connect{args[:1]}")
        return connect(*args, **kwargs)

    sqlite3.connect = tripped_connect

    class TrippedSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            _note("socket", "a socket")
            super().__init__(*args, **kwargs)

    socket.socket = TrippedSocket

    start = threading.Thread.start

    def tripped_start(self):
        _note("thread", f"thread {self.name} started")
        return start(self)

    threading.Thread.start = tripped_start

    import faker  # the library itself may be imported; an instance may not be made

    init = faker.Faker.__init__

    def tripped_init(self, *args, **kwargs):
        _note("faker", "Faker()")
        return init(self, *args, **kwargs)

    faker.Faker.__init__ = tripped_init


def _import_all(packages: list[str]) -> list[str]:
    imported = []
    for name in packages:
        module = __import__(name, fromlist=["_"])
        imported.append(name)
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=f"{name}."):
            __import__(info.name, fromlist=["_"])
            imported.append(info.name)
    return imported


if __name__ == "__main__":
    ROOT = os.path.realpath(sys.argv[1])
    sys.path.insert(0, ROOT)
    _set_tripwires()
    modules = _import_all(sys.argv[2:])
    threads = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    print(json.dumps({"modules": modules, "events": EVENTS, "threads_alive": threads}))
