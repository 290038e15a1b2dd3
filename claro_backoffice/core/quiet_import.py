"""connexion imported without starlette's warning about a test client nobody here uses."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator

from starlette.exceptions import StarletteDeprecationWarning


@contextlib.contextmanager
def connexion_quietly() -> Iterator[None]:
    """connexion 3.3 imports starlette's TestClient as it is imported, and starlette then warns that its test
    client's httpx is deprecated: users saw that on every start, about a test client a server never uses. Only that
    warning, only while the imports inside first load connexion (the filters are restored after; a second import
    warns nothing)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r"Using `httpx` with `starlette\.testclient` is deprecated",
            category=StarletteDeprecationWarning,
            module=r"connexion\.apps\.abstract\Z",
        )
        yield
