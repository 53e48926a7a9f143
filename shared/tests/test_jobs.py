"""Timed jobs run on one replica at a time, even when a job commits as it goes."""
import asyncio
import uuid

import pytest

from shared.clock import FrozenClock
from shared.jobs import Job, run_once


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
