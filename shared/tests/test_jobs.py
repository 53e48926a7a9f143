"""Timed jobs run on one replica at a time, even when a job commits as it goes; an outage skips rounds, no more."""
import asyncio
import uuid

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared.clock import FrozenClock
from shared.db import make_engine
from shared.jobs import Job, run_forever, run_once
from shared.testing import eventually


async def test_a_job_runs_on_one_replica_at_a_time_even_across_its_own_commits(notebook, frozen_now):
    inside, release = asyncio.Event(), asyncio.Event()

    async def expire_options(uow) -> None:
        note_id = uuid.uuid4()
        uow.emit(notebook.NoteAdded(note_id=note_id, text="expired"), note_id, 1)
        await uow.commit()
        inside.set()
        await release.wait()

    async def other(uow) -> None:
        await uow.commit()

    job = Job("expire-options", expire_options)
    clock = FrozenClock(frozen_now)
    first = asyncio.create_task(run_once(job, "notebook", notebook.sessions, clock))
    await inside.wait()
    assert await run_once(job, "notebook", notebook.sessions, clock) is False, "a second replica ran it too"
    assert await run_once(Job("other", other), "notebook", notebook.sessions, clock) is True
    release.set()
    assert await first is True
    assert await run_once(job, "notebook", notebook.sessions, clock) is True
    assert await notebook.outbox_rows() == 2


async def test_a_failing_job_releases_its_lock(notebook, frozen_now):
    async def broken(uow) -> None:
        raise RuntimeError("job failed")

    async def fixed(uow) -> None:
        await uow.commit()

    clock = FrozenClock(frozen_now)
    with pytest.raises(RuntimeError):
        await run_once(Job("nightly", broken), "notebook", notebook.sessions, clock)
    assert await run_once(Job("nightly", fixed), "notebook", notebook.sessions, clock) is True


async def test_the_jobs_loop_skips_rounds_while_the_database_is_down_and_runs_again_once_it_is_back(
    notebook, frozen_now, postgres_proxy
):
    ran = asyncio.Event()

    async def nightly(uow) -> None:
        await uow.session.execute(text("SELECT 1"))
        ran.set()

    engine = make_engine(notebook.database_through(postgres_proxy), 1)
    await postgres_proxy.cut()
    loop = asyncio.create_task(run_forever(
        [Job("nightly", nightly)], "notebook", async_sessionmaker(engine), FrozenClock(frozen_now), 0.05))
    try:
        await eventually(lambda: _runs("nightly", "unavailable", 3))
        assert not ran.is_set() and not loop.done()
        await postgres_proxy.restore()
        await asyncio.wait_for(ran.wait(), timeout=20)
    finally:
        while not loop.done():  # a cancellation that lands as the driver connects can be lost (Python 3.11)
            loop.cancel()
            await asyncio.sleep(0.05)
        await engine.dispose()
    assert _count("nightly", "failed") == 0, "an outage is no failure of the job"


async def _runs(job: str, outcome: str, at_least: int) -> bool:
    return _count(job, outcome) >= at_least


def _count(job: str, outcome: str) -> float:
    return REGISTRY.get_sample_value(
        "colo_job_runs_total", {"service": "notebook", "job": job, "outcome": outcome}) or 0
