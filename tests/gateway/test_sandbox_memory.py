"""Deleting a sandbox gives back the memory its connections held (issue 18: RSS never came down after a class's
sandboxes were deleted): the gateway asks the C library to return freed heap once the sandbox is gone everywhere."""

from __future__ import annotations


def test_deleting_a_sandbox_releases_freed_memory_once_it_is_gone(gateway_client):
    runtime = gateway_client.app.runtime
    released: list[set] = []

    def release() -> bool:  # what exists when the release runs: the sandbox must be gone from the CRM and the mocks
        names = {
            s["name"] for s in gateway_client.backoffice.client("rr").get("/__admin/sandboxes").json()["sandboxes"]
        }
        released.append(names | ({"memory-test"} if runtime.crm.exists("memory-test") else set()))
        return True

    kept, runtime.release_memory = runtime.release_memory, release
    try:
        assert gateway_client.post("/admin/sandboxes", json={"name": "memory-test"}).status_code == 201
        assert gateway_client.post("/admin/sandboxes/memory-test/reset").status_code == 200
        assert released == []  # a reset keeps the sandbox's connections: nothing to give back
        assert gateway_client.delete("/admin/sandboxes/memory-test").status_code == 200
        assert len(released) == 1 and "memory-test" not in released[0] and "default" in released[0]
    finally:
        runtime.release_memory = kept
