"""The package's own data (OpenAPI specs, shipped scenarios, world data, SQL and JSON schemas), found with
importlib.resources rather than from the checkout, so that an installed wheel serves with no repository around it.

`path()` gives a filesystem path because the libraries that read these files take one (connexion's
`specification_dir`, `Path.glob` over a folder): pip installs a wheel as plain files, so `files()` is a `Path`; a
zipped install (a zipapp, an egg) is refused with a message rather than failing later on a missing file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "claro_backoffice"


def path(*parts: str) -> Path:
    """claro_backoffice/<parts...> (a file or a folder) as installed."""
    found = resources.files(PACKAGE).joinpath(*parts)
    if not isinstance(found, Path):
        raise RuntimeError(f"{PACKAGE} must be installed as files (pip install the wheel), not zipped: {found!r}")
    return found
