"""GDPR for a client: portability (everything this service holds about it, in one JSON document) and
erasure (irreversible anonymisation, only once its balance is zero).

Both cover the service's tables in one place. Portability reads every table with a `client_id`
column generically. Erasure must know, per table, which columns are personal: `ERASED` lists the
tables it anonymises, `KEPT` the tables it leaves (and why); a test fails when a table that belongs
to a client is in neither, so that a new table is classified before it can hold personal data.
"""
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.postgresql import insert

from clients import history, projections, services
from clients.domain.lifecycle import ANONYMOUS, anonymised, erasure_refusal
from clients.domain.record import display_name
from clients.health import HealthCipher
from clients.history import HEALTH, SECRET, plain
from clients.tables import (
    Base,
    Client,
    ClientAlert,
    ClientContact,
    ClientWord,
    CustomValue,
    ErasureRequest,
    LegalGuardian,
)
from shared.db import UnitOfWork
from shared.events import ClientAnonymised
from shared.pagination import keyset_page
from shared.problems import DomainError

PARTICIPANT_ERASED = {"last_name": ANONYMOUS, "first_name": ANONYMOUS, "birth_date": None, "sex": None,
                      "address_lines": [], "postal_code": None, "city": None, "health_data": None}
"""The participant's columns erasure overwrites, with what it writes."""
CLIENT_ERASED = {"newsletter_consent": False, "partner_offers_consent": False}
"""The client's columns outside its record that erasure overwrites: no marketing any more (its front-office accounts
are identity's, which erases them on `clients.client.anonymised`)."""
DELETED = (LegalGuardian, ClientContact, CustomValue, ClientAlert, ErasureRequest)
"""People of the client, free values, and alerts or requests that name the client: deleted."""
ERASED: dict[str, str] = {
    "clients": "anonymised by clients.domain.lifecycle.anonymised and CLIENT_ERASED",
    "participants": "PARTICIPANT_ERASED",
    "legal_guardians": "deleted: they are people of their own",
    "participant_guardians": "deleted: the participants' links to the guardians deleted",
    "client_contacts": "deleted: they are people of their own",
    "custom_values": "deleted: free values may be personal",
    "client_alerts": "deleted: their messages name the client",
    "erasure_requests": "deleted once the client is anonymised",
}
KEPT: dict[str, str] = {
    "client_orders": "order ids, statuses and amounts: no personal data",
    "client_billing_documents": "invoice references and amounts: issued invoices are kept as they are",
    "client_history": "who changed which field when; the values are forgotten",
    "wallet_entries": "amounts and order references of the ledger, kept for the accounts",
    "consent_history": "topics, dates and channels: the proof of consent, no personal data once anonymised",
    "client_links": "links between client ids with their rate: no personal data",
}


DERIVED = {ClientWord.__tablename__}
"""Tables derived from the record (the search words): rewritten with it, neither exported nor classified."""


def client_tables() -> list[Table]:
    """This service's tables whose rows belong to one client."""
    return [table for table in Base.metadata.sorted_tables if "client_id" in table.c and table.name not in DERIVED]


async def export(uow: UnitOfWork, client_id: UUID, health: HealthCipher | None) -> dict[str, Any]:
    """The client's record and every row of every table that belongs to it, by table name; the balance and
    order history figures. Health fields, decrypted, only for a caller who may read them (`health` is then the
    cipher)."""
    client = await services.get_client(uow, client_id)

    def row(values: Any) -> dict[str, Any]:
        hidden = SECRET if health else SECRET + HEALTH
        exported = {name: plain(value) for name, value in values.items()
                    if not any(word in name for word in hidden)}
        if health and exported.get("health_data"):
            exported["health_data"] = asdict(health.open(exported["health_data"]))
        return exported

    clients_table: Table = Client.__table__  # type: ignore[assignment]
    record = (await uow.session.execute(select(clients_table).where(clients_table.c.id == client.id))).mappings().one()
    document: dict[str, Any] = {"client": row(record)}
    for table in client_tables():
        rows = (await uow.session.execute(select(table).where(table.c.client_id == client.id))).mappings().all()
        document[table.name] = [row(r) for r in rows]
    balance = await projections.balance_of(uow, client.id)
    orders = await projections.history_of(uow, client.id)
    document["account"] = {**{k: str(v) for k, v in asdict(balance).items()}, "balance": str(balance.balance),
                           "orders": orders.orders, "spent": str(orders.spent),
                           "last_ordered_at": plain(orders.last_ordered_at)}
    document["exported_at"] = uow.clock.now().isoformat()
    return document


@dataclass(frozen=True)
class Refused:
    code: str
    message: str


async def anonymise(uow: UnitOfWork, client_id: UUID, by: str) -> Client | Refused:
    """Erase the client's personal data, or, when its balance is not zero, put it on the list of clients
    to settle first and say why (the caller commits that and answers 409)."""
    client = await services.get_client(uow, client_id, for_update=True)
    if client.anonymised_at is not None:
        raise DomainError("client_anonymised", "This client has already been anonymised.")
    balance = (await projections.balance_of(uow, client.id)).balance
    if refusal := erasure_refusal(balance):
        await uow.session.execute(insert(ErasureRequest).values(
            client_id=client.id, requested_at=uow.clock.now(), requested_by=by).on_conflict_do_nothing())
        return Refused("balance_not_zero", refusal)
    for name, value in asdict(anonymised(services.details_of(client))).items():
        setattr(client, name, list(value) if name == "address_lines" else value)
    for name, value in CLIENT_ERASED.items():
        setattr(client, name, value)
    for participant in client.participants:
        for name, value in PARTICIPANT_ERASED.items():
            setattr(participant, name, value)
        participant.guardian_links = []
    client.anonymised_at = uow.clock.now()
    await services._index(uow, client, services.details_of(client))
    await uow.session.flush()
    await history.forget_values(uow, client.id)
    for table in DELETED:
        await uow.session.execute(delete(table).where(table.client_id == client.id))
    await uow.session.refresh(client)
    services._changed(uow, client, ClientAnonymised)
    return client


@dataclass(frozen=True)
class ToSettle:
    client_id: UUID
    display_name: str
    balance: Decimal
    requested_at: datetime
    requested_by: str


async def to_settle(uow: UnitOfWork, limit: int, cursor: str | None) -> tuple[list[ToSettle], str | None]:
    """The clients whose erasure waits for their balance to be settled, the earliest asked first."""
    requests, next_cursor = await keyset_page(uow.session, select(ErasureRequest), ErasureRequest.requested_at,
                                              ErasureRequest.client_id, limit, cursor)
    found = []
    for request in requests:
        client = await uow.session.get_one(Client, request.client_id)
        balance = (await projections.balance_of(uow, client.id)).balance
        found.append(ToSettle(client.id, display_name(services.details_of(client)), balance, request.requested_at,
                              request.requested_by))
    return found, next_cursor

