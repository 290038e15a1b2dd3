"""`claro-backoffice serve` starts the server with glibc's per-thread cache of freed blocks off (core/memory.py):
~110 pooled threads kept ~30 MB in it after a class's sandboxes were deleted, out of `malloc_trim`'s reach."""

from __future__ import annotations

import os
import sys

import pytest

from claro_backoffice.core import memory

glibc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"),
    reason="GLIBC_TUNABLES is glibc's",
)


@glibc
def test_the_cache_is_turned_off_and_the_rest_of_the_environment_kept():
    env = {"PORT": "0", "VAR_DIR": "/tmp/x"}
    assert memory.allocator_environment(env) == {
        "PORT": "0",
        "VAR_DIR": "/tmp/x",
        "GLIBC_TUNABLES": "glibc.malloc.tcache_count=0",
    }
    assert env == {"PORT": "0", "VAR_DIR": "/tmp/x"}  # the caller's own mapping untouched


def test_a_users_own_tunables_are_left_alone_and_a_restarted_server_does_not_restart_again():
    assert memory.allocator_environment({"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"}) is None
    assert memory.allocator_environment({"GLIBC_TUNABLES": memory.TUNABLES}) is None


def test_nothing_to_do_outside_linux(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert memory.allocator_environment({"PORT": "0"}) is None
