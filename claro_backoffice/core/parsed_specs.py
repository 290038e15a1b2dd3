"""The OpenAPI specs parsed once per content: each start reads a spec's YAML and, when an earlier start parsed the same
bytes, takes the result from VAR_DIR/specs/<sha256 of the file>.json instead (json's C parser is ~100× libyaml's
loader, whose constructor runs in Python: the 14 specs' parsing was ~15% of a warm start). Keyed by the file's own
bytes, so an edited spec is parsed afresh; only the parse is cached: connexion still validates every spec it is
given, and every request, as before."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from claro_backoffice.core.yamlload import safe_load

FOLDER = "specs"
FORMAT = "1"  # part of each entry's name: a change in what is stored names new files rather than misreading old ones


def load(path: Path, var_dir: Path | None) -> Any:  # whatever the spec holds: a dict for every OpenAPI document
    """The spec at `path`, parsed; var_dir None: always parsed from its YAML, nothing written."""
    data = path.read_bytes()
    if var_dir is None:
        return safe_load(data.decode("utf-8"))
    entry = Path(var_dir) / FOLDER / f"{path.stem}-{hashlib.sha256(data).hexdigest()}-v{FORMAT}.json"
    with contextlib.suppress(OSError, ValueError):  # none yet, unreadable or cut short: parsed again below
        return json.loads(entry.read_bytes())
    spec = safe_load(data.decode("utf-8"))
    _store(entry, spec)
    return spec


def _store(entry: Path, spec: Any) -> None:
    """Written only when JSON gives back exactly what YAML gave (no dates, no integer keys), atomically (a start
    that reads it meanwhile sees the whole file or none), and not at all where VAR_DIR is read-only."""
    try:
        text = json.dumps(spec, ensure_ascii=False)
    except (TypeError, ValueError):
        return
    if json.loads(text) != spec:
        return
    with contextlib.suppress(OSError):
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=entry.parent, prefix=f".{entry.stem}.", suffix=".partial")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(partial, entry)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
