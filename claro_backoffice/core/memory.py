"""Giving freed heap back to the system. A deleted sandbox's SQLite connections (page caches, parsed schemas) were
allocated by many worker threads, each in its own glibc arena; freed, they stay in those arenas, so the process's
RSS never came down after a class's sandboxes were deleted (issue 18: 695 MB idle afterwards). glibc's
`malloc_trim(0)` returns every arena's free pages; elsewhere (musl, macOS) there is nothing to call."""

from __future__ import annotations

import ctypes


def release_freed() -> bool:
    """Returns the free pages of every malloc arena to the system; False where the C library has no malloc_trim."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True
