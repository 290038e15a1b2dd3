"""`claro-backoffice serve` starts the server with glibc's per-thread cache of freed blocks off (core/memory.py):
~110 pooled threads kept ~30 MB in it after a class's sandboxes were deleted, out of `malloc_trim`'s reach."""

from __future__ import annotations

import sys

from claro_backoffice.core import memory


def test_on_glibc_the_cache_is_turned_off_and_the_rest_of_the_environment_kept():
    env = {"PORT": "0", "VAR_DIR": "/tmp/x"}
    assert memory.allocator_environment(env, libc="glibc 2.36") == {
        "PORT": "0",
        "VAR_DIR": "/tmp/x",
        "GLIBC_TUNABLES": "glibc.malloc.tcache_count=0",
    }
    assert env == {"PORT": "0", "VAR_DIR": "/tmp/x"}  # the caller's own mapping untouched


def test_a_users_own_tunables_are_left_alone_and_a_restarted_server_does_not_restart_again():
    assert memory.allocator_environment({"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"}, libc="glibc 2.36") is None
    assert memory.allocator_environment({"GLIBC_TUNABLES": memory.TUNABLES}, libc="glibc 2.36") is None


def test_nothing_to_do_on_another_c_library():
    assert memory.allocator_environment({"PORT": "0"}, libc="") is None  # musl, macOS: no GNU libc version


def test_outside_linux_no_c_library_is_taken_for_glibc(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert memory.allocator_environment({"PORT": "0"}) is None
