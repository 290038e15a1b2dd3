"""MOCK_DELIVERY_RETENTION: Meta's simulator keeps the newest webhook deliveries of a sandbox, not all of them."""

from __future__ import annotations

import pytest
import responses

from tests.support.inprocess_client import in_process_client
from tests.support.mocks import TEST_GATEWAY_URL, create_mock

FRANCISCO = "573130568954"


@pytest.fixture(scope="module")
def meta(tmp_path_factory, worlds):
    app = create_mock("meta", tmp_path_factory.mktemp("meta-retention"), worlds, delivery_retention=3)
    with in_process_client(app) as client:
        yield client


@pytest.fixture
def hook():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.add(responses.POST, TEST_GATEWAY_URL + "/whatsapp/webhook", json={"status": "received"})
        yield mocked


def test_only_the_newest_deliveries_are_kept(meta, hook):
    seeded = [d["delivery_id"] for d in meta.get("/simulator/deliveries", params={"limit": 200}).json()["deliveries"]]
    assert len(seeded) > 3, "the seeded history has more deliveries than the retention"
    made = []
    for n in range(4):
        said = meta.post(f"/simulator/customers/{FRANCISCO}/messages", json={"text": f"mensaje {n}"})
        assert said.status_code == 201, said.text
        made.append(said.json()["delivery"]["delivery_id"])
    assert made == [max(seeded) + n for n in (1, 2, 3, 4)]
    listed = meta.get("/simulator/deliveries", params={"limit": 200}).json()["deliveries"]
    assert sorted(d["delivery_id"] for d in listed) == made[1:]
    gone = meta.post(f"/simulator/deliveries/{made[0]}/redeliver")
    assert gone.status_code == 404 and str(made[0]) in gone.json()["detail"]
    assert meta.post(f"/simulator/deliveries/{made[-1]}/redeliver").status_code == 201
