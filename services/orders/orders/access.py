"""Who may see or act on an order: operators everything, accountants and services read, and a front-office account
only its own orders: a family (client or legal guardian) its client's, a reseller those sold through it and its own.

A route open to front-office roles admits them with one of the callers below, which refuses every other role with a
403 before anything is looked up, and declares them in its OpenAPI operation (`shared.auth.front_office`);
`check_access` then answers 404 for an order that is not the caller's, as if it did not exist.
"""
from typing import Annotated
from uuid import UUID

from fastapi import Depends
from sqlalchemy import ColumnElement, or_

from orders.tables import Order
from shared.auth import FRONT_OFFICE_ROLES, STAFF, Principal, Role, front_office, require_roles
from shared.problems import NotFound, Problem

READERS: tuple[Role, ...] = (*STAFF, "accountant", "service")
FAMILY: tuple[Role, ...] = ("client", "legal_guardian")
BOOKERS: tuple[Role, ...] = ("client", "reseller")
"""Who books and gives up an option online: the family's account holder (the client signs the contract, seed 000)
and a reseller; a legal guardian's account reads and provides the paperwork."""

FamilyCaller = Annotated[Principal, Depends(require_roles(*READERS, *FAMILY))]
FAMILY_ROUTE = front_office(*FAMILY)
OrderCaller = Annotated[Principal, Depends(require_roles(*READERS, *FAMILY, "reseller"))]
ORDER_ROUTE = front_office(*FAMILY, "reseller")
Booker = Annotated[Principal, Depends(require_roles(*STAFF, *BOOKERS))]
BOOKER_ROUTE = front_office(*BOOKERS)


def is_front_office(principal: Principal) -> bool:
    return principal.role in FRONT_OFFICE_ROLES


def own_client_id(principal: Principal) -> UUID:
    """The client a front-office token speaks for; a token that names none may do nothing."""
    try:
        return UUID(principal.client_id or "")
    except ValueError:
        raise Problem(403, "forbidden", "Forbidden", "This front-office token names no client.") from None


def owns(principal: Principal, order: Order) -> bool:
    client_id = own_client_id(principal)
    return order.client_id == client_id or (principal.role == "reseller" and order.reseller_id == client_id)


def own_orders(principal: Principal) -> ColumnElement[bool]:
    """`owns` as a condition on the orders table."""
    client_id = own_client_id(principal)
    if principal.role == "reseller":
        return or_(Order.client_id == client_id, Order.reseller_id == client_id)
    return Order.client_id == client_id


def check_access(principal: Principal, order: Order, write: bool = False) -> None:
    """A front-office account sees another client's order as not existing at all."""
    if is_front_office(principal):
        if not owns(principal, order):
            raise NotFound("order", order.id)
        return
    if principal.role not in (STAFF if write else READERS):
        raise Problem(403, "forbidden", "Forbidden", f"The role {principal.role} cannot do this on an order.")
