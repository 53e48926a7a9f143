"""Who an order booked from the front office is for, and through whom: the same booking as staff's, for the caller's
own client only.

A family's account books for its own client, whatever the body says. A reseller's account books for itself or for
one of its customers, sold through it (its markup, its assigned departures, the places taken on validation, as for
every reseller sale); its customers are the clients linked to it in clients (seed 000's « liaison entre clients »,
granted by staff). A client that is not the caller's is answered as if it did not exist.
"""
from dataclasses import dataclass
from uuid import UUID

from orders.access import is_front_office, own_client_id
from orders.booking import unknown_client
from orders.gateways import Directory
from shared.auth import Principal
from shared.problems import Problem


@dataclass(frozen=True)
class Party:
    client_id: UUID
    reseller_id: UUID | None
    ordered_online_by: UUID | None = None
    """The client whose front-office account books: its type must allow ordering online."""


async def booking_party(directory: Directory, principal: Principal, client_id: UUID | None,
                        reseller_id: UUID | None) -> Party:
    if not is_front_office(principal):
        if client_id is None:
            raise invalid("client_id", "Field required: the client the order is for.")
        return Party(client_id, reseller_id)
    own = own_client_id(principal)
    if principal.role != "reseller":
        if reseller_id is not None:
            raise invalid("reseller_id", "A family books for itself: only staff name the reseller of a sale.")
        if client_id not in (None, own):
            raise unknown_client(client_id)
        return Party(own, None, own)
    if reseller_id not in (None, own):
        raise invalid("reseller_id", "A reseller sells only through itself.")
    customer = client_id or own
    if customer != own and not await directory.linked(own, customer):
        raise unknown_client(customer)
    return Party(customer, own, own)


def invalid(field: str, message: str) -> Problem:
    """A 422 naming the body's field, as the request's own validation answers."""
    return Problem(422, "invalid_request", "Invalid request", f"body.{field}: {message}",
                   errors=[{"field": f"body.{field}", "message": message, "type": "value_error"}])
