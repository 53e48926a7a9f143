"""Timed work (option expiry, auto-archive, ...): one runner at a time across replicas.

Each run holds a session-level advisory lock named after the job, on a connection of its own, for
the whole run: a transaction-scoped lock would be released by the job's first commit and let another
replica start the same job while this one is still running. A replica that does not get the lock
skips that round. A job is `async def job(uow)` and may commit its changes with their events as it goes.
While the database or a service it asks is down, a round is skipped with a warning, not a failure.
"""
import asyncio
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared import metrics
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.logging import log
from shared.problems import outage


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[UnitOfWork], Awaitable[None]]


async def run_once(job: Job, service: str, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> bool:
    """Run the job if no other replica is running it; True when it ran."""
    lock_key = zlib.crc32(f"{service}:{job.name}".encode())
    async with sessions() as lock:
        if not (await lock.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key})).scalar():
            return False
        try:
            async with UnitOfWork(sessions, clock, service) as uow:
                await job.run(uow)
                await uow.commit()
        finally:
            await lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key})
        return True


async def run_forever(
    jobs: list[Job], service: str, sessions: async_sessionmaker[AsyncSession], clock: Clock, interval: float
) -> None:
    while True:
        await asyncio.sleep(interval)
        for job in jobs:
            try:
                if await run_once(job, service, sessions, clock):
                    metrics.JOB_RUNS.labels(service, job.name, "ok").inc()
            except Exception as error:  # noqa: BLE001 - a failing job must not stop the others; it runs again next round
                if outage(error) is not None:
                    metrics.JOB_RUNS.labels(service, job.name, "unavailable").inc()
                    log.warning("job.unavailable", job=job.name, error=f"{type(error).__name__}: {error}")
                    continue
                metrics.JOB_RUNS.labels(service, job.name, "failed").inc()
                log.exception("job.failed", job=job.name)
