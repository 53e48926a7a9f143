"""Orders sold through a reseller (seed 000, "Onglet Revendeur").

A reseller is a professional client (its markup on its client record) to which stock assigned departures.
Seed 000 says only assigned departures can be sold to it (back and front office) and that it sells them to
its own clients. So an order goes through a reseller in two ways: the operator names it (`reseller_id`) for
an order whose client is the reseller's customer, or the client is itself a reseller and buys through
itself. Either way stock prices with the reseller's markup, refuses a departure not assigned to it, and takes
the producer's places only when the order is validated (every lifecycle event names the reseller).
"""
from uuid import UUID

from orders.gateways import ClientInfo, Directory, ResellerInfo
from shared.problems import Problem


async def reseller_of(directory: Directory, client: ClientInfo, named: UUID | None) -> ResellerInfo | None:
    """The reseller the order is sold through: the one named, else the client when it is a reseller, else none.

    A reseller is a professional client (seed 000): stock is asked about the client only when it is one.
    """
    if named is None:
        return await directory.reseller(client.id) if client.kind == "professional" else None
    reseller = await directory.reseller(named)
    if reseller is None:
        raise Problem(422, "unknown_reseller", "Unknown reseller",
                      f"Client {named} is not a reseller: a professional client becomes one when stock assigns it "
                      "departures (POST /resellers/{id}/assignments).")
    return reseller
