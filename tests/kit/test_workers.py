"""The kit's SQLite threads (mocks/kit/workers.py), which every mock request crosses to twice: answers and errors
come back to the caller's loop, no more than `count` jobs run at once, a job whose caller stopped waiting before a
thread took it is not run (the fault draw of a request nobody waits for would use up a counted fault)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

import pytest

from claro_backoffice.mocks.kit.workers import Workers


def run_on_a_fresh_thread(coroutine):
    """asyncio.run() on a thread of its own: the test's thread may already have a loop running (Playwright's sync
    API leaves one in a pytest worker's main thread once it has run a browser test)."""
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="workers-test") as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _threads(name: str) -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith(name + "_"))


def test_answers_and_errors_come_back_to_the_caller():
    workers = Workers(2, "kit-test-answers")

    async def main():
        assert await workers.run(lambda a, b: a * b, 6, 7) == 42
        with pytest.raises(ZeroDivisionError):
            await workers.run(lambda: 1 / 0)

    run_on_a_fresh_thread(main())


def test_no_more_than_count_jobs_run_at_once():
    workers = Workers(2, "kit-test-count")
    release = threading.Event()
    started = [threading.Event() for _ in range(3)]
    ran: list[int] = []

    def job(n: int) -> int:
        started[n].set()
        release.wait()
        ran.append(n)
        return n

    async def main():
        tasks = [asyncio.ensure_future(workers.run(job, n)) for n in range(3)]
        await asyncio.sleep(0)  # the three are queued
        await asyncio.to_thread(lambda: started[0].wait() and started[1].wait())
        assert _threads("kit-test-count") == 2 and not started[2].is_set()  # the third waits for a free thread
        release.set()
        return await asyncio.gather(*tasks)

    assert run_on_a_fresh_thread(main()) == [0, 1, 2]
    assert sorted(ran) == [0, 1, 2] and _threads("kit-test-count") == 2


def test_a_job_whose_caller_left_before_a_thread_took_it_is_not_run():
    workers = Workers(1, "kit-test-cancel")
    release, busy = threading.Event(), threading.Event()
    ran: list[str] = []

    def hold() -> str:
        busy.set()
        release.wait()
        return "held"

    async def main():
        first = asyncio.ensure_future(workers.run(hold))
        await asyncio.to_thread(busy.wait)  # the only thread is taken
        gone = asyncio.ensure_future(workers.run(ran.append, "gone"))
        await asyncio.sleep(0)
        gone.cancel()
        release.set()
        assert await first == "held"
        assert await workers.run(ran.append, "next") is None  # after the cancelled one in the queue
        assert gone.cancelled()

    run_on_a_fresh_thread(main())
    assert ran == ["next"]
