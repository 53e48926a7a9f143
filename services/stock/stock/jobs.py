"""Stock's timed work: the nightly assignment of every departure to resellers with "all offers" (seed 000)."""
from shared.db import UnitOfWork
from shared.jobs import Job
from shared.logging import log
from stock import resellers


async def assign_all_offers(uow: UnitOfWork) -> None:
    assigned = await resellers.assign_all_offers(uow)
    if assigned:
        log.info("stock.all_offers_assigned", departures=assigned)


JOBS = [Job("assign_all_offers", assign_all_offers)]
