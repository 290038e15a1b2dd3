"""How many of this process's file descriptors point under a directory (/proc/self/fd): what SQLite keeps open."""

from __future__ import annotations

import os
from pathlib import Path


def open_under(directory: Path) -> int:
    fds = Path("/proc/self/fd")
    count = 0
    for fd in os.listdir(fds):
        try:
            target = os.readlink(fds / fd)
        except OSError:
            continue  # closed meanwhile (listdir's own)
        count += target.startswith(str(directory))
    return count
