"""Referral: a client names its referrer, who may refer a limited number of clients."""
from uuid import UUID

from clients.domain.record import FieldError, InvalidClient
from shared.problems import DomainError


def remaining(maximum: int, referees: int) -> int:
    return max(maximum - referees, 0)


def check_referrer(client_id: UUID, referrer_id: UUID, referrer_chain: list[UUID], referees: int,
                   maximum: int) -> None:
    """A client cannot refer itself nor one of its own referrers, and a referrer has a quota.

    `referrer_chain` is the referrer's own referrers, nearest first.
    """
    if referrer_id == client_id:
        raise InvalidClient([FieldError("referrer_id", "A client cannot be its own referrer.")])
    if client_id in referrer_chain:
        raise DomainError("referral_cycle", "This client already (indirectly) referred that one: no loop allowed.")
    if not remaining(maximum, referees):
        raise DomainError("referral_limit_reached",
                          f"This referrer has already referred {referees} clients, the maximum allowed.")
