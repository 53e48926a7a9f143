"""Client categories (seed 002, Client > Catégories): created and deleted by operators, then chosen on
client records; a record names a category that exists, spelled as it was created."""
from uuid import UUID

from sqlalchemy import exists, func, select

from clients.tables import Client, ClientCategory
from shared.db import UnitOfWork
from shared.pagination import keyset_page
from shared.problems import DomainError, NotFound, Problem


async def create(uow: UnitOfWork, name: str) -> ClientCategory:
    category = ClientCategory(name=name, created_at=uow.clock.now())
    uow.session.add(category)
    await uow.flush_unique(DomainError("category_exists", f"A category named « {name} » exists already."))
    return category


async def listed(uow: UnitOfWork, limit: int, cursor: str | None) -> tuple[list[ClientCategory], str | None]:
    return await keyset_page(uow.session, select(ClientCategory), ClientCategory.created_at, ClientCategory.id,
                             limit, cursor)


async def delete(uow: UnitOfWork, category_id: UUID) -> None:
    category = await uow.session.get(ClientCategory, category_id, with_for_update=True)
    if category is None:
        raise NotFound("category", category_id)
    in_use = await uow.session.scalar(select(func.count()).select_from(Client).where(
        func.lower(Client.category) == category.name.lower()))
    if in_use:
        raise DomainError("category_in_use", f"The category « {category.name} » is on {in_use} client(s): "
                                             "change their category first.")
    await uow.session.delete(category)


async def canonical(uow: UnitOfWork, name: str | None) -> str | None:
    """The configured spelling of the category a record names; an unknown one is a 422."""
    if name is None:
        return None
    found = await uow.session.scalar(select(ClientCategory.name).where(
        func.lower(ClientCategory.name) == name.lower()))
    if found is None:
        known = await uow.session.scalar(select(exists().select_from(ClientCategory)))
        hint = "create it first (POST /categories)" if not known else "choose one of GET /categories"
        raise Problem(422, "invalid_request", "Invalid request", f"body.category: no category « {name} »: {hint}.",
                      errors=[{"field": "body.category", "message": f"Unknown category « {name} ».",
                               "type": "value_error"}])
    return found
