"""Giving freed heap back to the system. A deleted sandbox's SQLite connections (page caches, parsed schemas) were
allocated by many worker threads, each in its own glibc arena; freed, they stay in those arenas, so the process's
RSS never came down after a class's sandboxes were deleted (issue 18: 695 MB idle afterwards). glibc's
`malloc_trim(0)` returns every arena's free pages; elsewhere (musl, macOS) there is nothing to call.

glibc also keeps a cache of freed blocks per thread (tcache), which `malloc_trim` does not empty and which lives as
long as the thread: a server's ~110 pooled threads held ~30 MB that way after a class's sandboxes were deleted
(issue 18: 56 MB above idle with it, 23 without). It can only be turned off as the process starts
(GLIBC_TUNABLES), so `claro-backoffice serve` starts the server with it off."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping

TUNABLES = "glibc.malloc.tcache_count=0"  # no per-thread cache of freed blocks


def release_freed() -> bool:
    """Returns the free pages of every malloc arena to the system; False where the C library has no malloc_trim."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True


def allocator_environment(env: Mapping[str, str], libc: str | None = None) -> dict[str, str] | None:
    """env with glibc's per-thread cache turned off, or None: not glibc, or GLIBC_TUNABLES already set (the
    user's own settings, or this one: the process already started with it) is left alone. libc: the C library's
    name and version as `os.confstr("CS_GNU_LIBC_VERSION")` gives it (read here when not given)."""
    if "GLIBC_TUNABLES" in env:
        return None
    if libc is None:
        libc = _libc_version()
    return {**env, "GLIBC_TUNABLES": TUNABLES} if libc.startswith("glibc") else None


def _libc_version() -> str:
    if not sys.platform.startswith("linux"):
        return ""
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (ValueError, OSError):  # not a name this C library knows: not glibc
        return ""
