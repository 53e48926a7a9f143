"""Use cases of the client record beyond its fields: the client code's uniqueness and the duplicates check."""
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import exists, or_, select

from clients.domain.search import fold, national_phone
from clients.tables import Client
from shared.db import UnitOfWork
from shared.pagination import keyset_page
from shared.problems import DomainError


def default_client_code(number: int) -> str:
    """The readable code a client gets when none is typed: C and its creation number, C0000042."""
    return f"C{number:07d}"


async def ensure_client_code_free(uow: UnitOfWork, code: str | None) -> None:
    if code and await uow.session.scalar(select(exists().where(Client.client_code == code))):
        raise _code_taken(code)


async def flush_unique_client_code(uow: UnitOfWork, code: str | None) -> None:
    """A concurrent request may take the code between the check and the write: still a 409, not a 500."""
    await uow.flush_unique(_code_taken(code))


def _code_taken(code: str | None) -> DomainError:
    return DomainError("client_code_taken", f"The client code {code} is already another client's.")


@dataclass(frozen=True)
class DuplicateProbe:
    """What an operator is about to record, to be compared with the clients already known."""

    name: str | None = None
    """A last name, or a company's name."""
    postal_code: str | None = None
    email: str | None = None
    phone: str | None = None
    client_code: str | None = None
    exclude_id: UUID | None = None


async def likely_duplicates(
    uow: UnitOfWork, probe: DuplicateProbe, limit: int, cursor: str | None
) -> tuple[list[tuple[Client, list[str]]], str | None]:
    """Clients that are probably the same person or company, each with the reasons it was found.

    Same name in the same postal code, same e-mail, same phone number (whatever its format), or
    the same client code. Dormant clients are included: a duplicate hidden in sleep is still one.
    """
    checks = []
    name = fold(probe.name or "").strip()
    if name and probe.postal_code:
        checks.append(("name_and_postal_code",
                       (Client.sort_name == name) & (Client.postal_code == probe.postal_code.strip())))
    if probe.email:
        checks.append(("email", Client.email == probe.email.strip().lower()))
    if probe.phone and (digits := national_phone(probe.phone)):
        checks.append(("phone", Client.phone_digits.like(f"%{digits}%")
                       & (Client.phone_digits + " ").like(f"% {digits} %")))
    if probe.client_code:
        checks.append(("client_code", Client.client_code == probe.client_code.strip().upper()))
    if not checks:
        return [], None
    stmt = select(Client).where(or_(*(condition for _, condition in checks)))
    if probe.exclude_id:
        stmt = stmt.where(Client.id != probe.exclude_id)
    found, next_cursor = await keyset_page(uow.session, stmt, Client.created_at, Client.id, limit, cursor)
    return [(client, [reason for reason, _ in checks if _matches(client, reason, probe)]) for client in found], \
        next_cursor


def _matches(client: Client, reason: str, probe: DuplicateProbe) -> bool:
    if reason == "name_and_postal_code":
        return client.sort_name == fold(probe.name or "").strip() and \
            client.postal_code == (probe.postal_code or "").strip()
    if reason == "email":
        return client.email == (probe.email or "").strip().lower()
    if reason == "phone":
        return national_phone(probe.phone or "") in client.phone_digits.split()
    return client.client_code == (probe.client_code or "").strip().upper()
