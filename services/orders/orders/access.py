"""Who may see or act on an order: operators everything, accountants and services read, and a front-office
account (client or legal guardian) only its own client's orders."""
from orders.tables import Order
from shared.auth import STAFF, Principal
from shared.problems import NotFound, Problem

READERS = (*STAFF, "accountant", "service")
FRONT_OFFICE = ("client", "legal_guardian")


def is_front_office(principal: Principal) -> bool:
    return principal.role in FRONT_OFFICE


def check_access(principal: Principal, order: Order, write: bool = False) -> None:
    """A front-office account sees another client's order as not existing at all."""
    if is_front_office(principal):
        if principal.client_id != str(order.client_id):
            raise NotFound("order", order.id)
        return
    if principal.role not in (STAFF if write else READERS):
        raise Problem(403, "forbidden", "Forbidden", f"The role {principal.role} cannot do this on an order.")
