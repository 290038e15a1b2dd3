"""The server's open-files limit, raised before serving from the soft limit a shell gives (1,024 on most Linux
desktops) towards the hard one: each SQLite connection holds three descriptors (the file, its WAL, its shared
memory), a sandbox in use has two or more connections in each system it uses, and a class of trainees uses a few
hundred sandboxes' files at once (issue 18: ~6,400 descriptors at 100 trainees before idle sandboxes closed theirs).
At 1,024 a server answered 500 ("unable to open database file") from a class of about 20 on."""

from __future__ import annotations

import resource

WANTED = 65536  # enough for any class this machine can serve; the hard limit is often far higher (no need)


def raise_open_files_limit(wanted: int = WANTED) -> int:
    """The soft limit raised to `wanted` (or to the hard limit, if lower); never lowered. Returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft
