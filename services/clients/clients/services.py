"""Clients use cases. Each runs inside the caller's unit of work; the caller commits."""
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any, Literal
from uuid import UUID, uuid4

from sqlalchemy import ARRAY, ColumnElement, Select, Uuid, any_, bindparam, exists, func, or_, select, tuple_
from sqlalchemy.orm import raiseload

from clients import categories, search_index
from clients.domain.client_type import ClientTypeDetails, new_client_type
from clients.domain.people import participant_guardians
from clients.domain.record import (
    Details,
    InvalidClient,
    Kind,
    ParticipantDetails,
    display_name,
    ensure_changeable,
    new_client,
    new_participant,
    revise,
)
from clients.domain.search import (
    PhoneMode,
    escape_like,
    fragments,
    notes_text,
    parse_query,
    phone_digits,
    search_text,
    sort_name,
    tokens,
)
from clients.record_services import default_client_code, ensure_client_code_free, flush_unique_client_code
from clients.tables import CLIENT_NUMBERS, Client, ClientType, Participant, ParticipantGuardian
from shared.db import UnitOfWork
from shared.events import (
    ClientCreated,
    ClientState,
    ClientTypeCreated,
    ClientTypeState,
    ClientTypeUpdated,
    ClientUpdated,
    ContactSnapshot,
    GuardianSnapshot,
    ParticipantSnapshot,
)
from shared.pagination import decode_cursor, encode_cursor, keyset_page
from shared.problems import DomainError, NotFound, Problem

ClientSort = Literal["last_name", "-last_name", "postal_code", "-postal_code", "created_at", "-created_at"]
SearchSort = ClientSort | Literal["relevance"]
"""A search's sorts: relevance (clients.search_index.RANKS) is the default when words are typed."""
SORT_KEYS = {
    "last_name": Client.sort_name,
    "postal_code": func.coalesce(Client.postal_code, ""),
    "created_at": Client.created_at,
}
"""Each sort's key, as indexed: the name key is folded, a missing postal code sorts as empty."""


PAGE_OPTIONS = (raiseload(Client.legal_guardians), raiseload(Client.contacts))
"""A page of clients shows their participants, never their guardians nor contacts: those are not loaded."""
SCORED_CHUNK = 2
"""Scored ids first filtered per client still wanted (twice more each time after): a filter (dormant, deleted, a
kind, a further term) drops some."""


@dataclass(frozen=True)
class ClientSearch:
    """What the back office's client search window asks for."""

    q: str | None = None
    phone_mode: PhoneMode = "starts_with"
    kind: Kind | None = None
    client_type_id: UUID | None = None
    disputed: bool | None = None
    blocked: bool | None = None
    include_dormant: bool = False
    sort: SearchSort | None = None
    """None: by relevance when words are typed, else by creation."""
    keywords: str | None = None
    category: str | None = None


def details_of(client: Client) -> Details:
    values = {f.name: getattr(client, f.name) for f in fields(Details)}
    return Details(**{**values, "address_lines": tuple(client.address_lines)})


@contextmanager
def _reported_as_invalid_request() -> Iterator[None]:
    """A broken record rule is bad input: a 422 naming the fields, like the request validation's."""
    try:
        yield
    except InvalidClient as error:
        errors = [{"field": f"body.{e.field}", "message": e.message, "type": "value_error"} for e in error.errors]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise Problem(422, "invalid_request", "Invalid request", detail, errors=errors) from error


async def create_client(uow: UnitOfWork, details: Details, client_id: UUID | None = None) -> Client:
    """A new client; `client_id` when another service named it already (identity, for a family's sign-up)."""
    type_kind = await _type_kind(uow, details.client_type_id)
    now = uow.clock.now()
    with _reported_as_invalid_request():
        record = new_client(details, type_kind, now.date())
    if record.client_code is None:
        record = replace(record, client_code=default_client_code(await uow.session.scalar(CLIENT_NUMBERS.next_value())))
    record = replace(record, category=await categories.canonical(uow, record.category))
    await ensure_client_code_free(uow, record.client_code)
    client = Client(**{**asdict(record), "address_lines": list(record.address_lines)}, id=client_id or uuid4(),
                    version=1, created_at=now, updated_at=now, participants=[], legal_guardians=[], contacts=[])
    await _index(uow, client, record)
    uow.session.add(client)
    await flush_unique_client_code(uow, record.client_code)
    _emit(uow, ClientCreated, client)
    return client


async def get_client(uow: UnitOfWork, client_id: UUID, for_update: bool = False) -> Client:
    client = await uow.session.get(Client, client_id, with_for_update=for_update)
    if client is None or client.deleted_at is not None:
        raise NotFound("client", client_id)
    return client


async def list_clients(
    uow: UnitOfWork, search: ClientSearch, limit: int, cursor: str | None
) -> tuple[list[Client], str | None]:
    """The clients matching every term of the query and every filter, dormant ones only when asked."""
    stmt = select(Client).options(*PAGE_OPTIONS).where(Client.deleted_at.is_(None))
    for column, value in ((Client.kind, search.kind), (Client.client_type_id, search.client_type_id),
                          (Client.disputed, search.disputed), (Client.blocked, search.blocked)):
        if value is not None:
            stmt = stmt.where(column == value)
    if not search.include_dormant:
        stmt = stmt.where(Client.dormant.is_(False))
    if search.category is not None:
        stmt = stmt.where(Client.category == search.category)
    for word in tokens(search.keywords or ""):
        stmt = stmt.where(Client.notes_text.like(f"% {escape_like(word)}%", escape="\\"))
    terms = parse_query(search.q or "")
    sort = search.sort or ("relevance" if terms else "created_at")
    if sort == "relevance" and not terms:
        sort = "created_at"
    lookup = await search_index.plan(uow.session, terms, search.phone_mode, ranked=sort == "relevance")
    for term in lookup.checked:
        held = zip((Client.search_text, Client.phone_digits), fragments(term, search.phone_mode), strict=True)
        stmt = stmt.where(or_(*(_holds(column, fragment) for column, fragment in held if fragment)))
    if sort == "relevance":
        if lookup.looked_up:
            return await _relevant_page(uow, stmt, lookup, search.phone_mode, limit, cursor)
        sort = "created_at"  # nothing was looked up in the index to rank: every client read holds every term alike
    search = replace(search, sort=sort)
    if not lookup.looked_up:
        return await _sorted_page(uow, stmt, sort, limit, cursor)
    return await _looked_up_page(uow, stmt, lookup, search, limit, cursor)


async def _relevant_page(uow: UnitOfWork, stmt: Select[Any], lookup: search_index.Lookup, mode: PhoneMode,
                         limit: int, cursor: str | None) -> tuple[list[Client], str | None]:
    """A page by score, then creation, then id: first the clients whose every term is a name's word or a whole word,
    reading only those words (`=blot...` and `blot`, not the thousands of `blot...` words of e-mails and streets),
    then, if the page is not full, the others; score by score and a few years at a time where the words are many
    (the rarest term common, or joined to a common one). A term checked on the clients read is ranked there, every
    client of the looked-up terms read at once."""
    after = _after_score(cursor)
    if lookup.checked and not lookup.tiered:
        found = await _checked_page(uow, stmt, lookup, mode, after, limit + 1)
        return await _ranked_clients(uow, found, limit)
    worst, best, whole = search_index.worst_score(lookup), lookup.best, search_index.WORST
    single = [(level, level, True) for level in range(max(best, whole), worst + 1)]
    if lookup.tiered:
        passes = [(level, level, True) for level in range(best, whole)] + single
    else:
        passes = [(best, whole - 1, False)] if best < whole else []
        passes += single if lookup.wide else [(max(best, whole), worst, False)]
    found: list[tuple[int, datetime, UUID]] = []
    for low, high, yearly in passes:
        if after and after[0] > high:
            continue
        resumed = after if after and low <= after[0] else None
        start = search_index.year_of(resumed[1]) if resumed else None
        for years in search_index.year_groups(lookup.years, False, start) if yearly else [lookup.years]:
            scored = search_index.ranked(lookup, mode, years, min(high, whole))
            found += await _scored_page(uow, stmt, scored, (low, high), resumed, limit + 1 - len(found))
            if len(found) > limit:
                break
        if len(found) > limit:
            break
    return await _ranked_clients(uow, found, limit)


async def _ranked_clients(uow: UnitOfWork, found: list[tuple[int, datetime, UUID]], limit: int
                          ) -> tuple[list[Client], str | None]:
    """The page's clients, from their (score, created_at, id) read one beyond, and the cursor to the next page."""
    clients = {client.id: client for client in await uow.session.scalars(
        select(Client).options(*PAGE_OPTIONS).where(Client.id.in_([client_id for *_, client_id in found[:limit]])))}
    page = [clients[client_id] for *_, client_id in found[:limit]]
    if len(found) <= limit:
        return page, None
    level, created_at, client_id = found[limit - 1]
    return page, encode_cursor("relevance", f"{level} {created_at.isoformat()}", client_id)


async def _checked_page(uow: UnitOfWork, stmt: Select[Any], lookup: search_index.Lookup, mode: PhoneMode,
                        after: tuple[int, datetime, UUID] | None, limit: int) -> list[tuple[int, datetime, UUID]]:
    """(score, created_at, id) of the next `limit` clients when a term is checked on the clients read: every client
    of the looked-up terms, scored from the index, then read at once to be filtered and to rank the checked terms."""
    scored = {row.client_id: (row.score, row.created_at) for row in await uow.session.execute(
        search_index.ranked(lookup, mode, lookup.years, search_index.WORST))}
    checked = sum((search_index.checked_rank(term) for term in lookup.checked[1:]),
                  search_index.checked_rank(lookup.checked[0]))
    ids = bindparam("ids", list(scored), type_=ARRAY(Uuid()))
    kept = await uow.session.execute(stmt.with_only_columns(Client.id, checked).where(Client.id == any_(ids)))
    found = sorted((scored[client_id][0] + rank, scored[client_id][1], client_id) for client_id, rank in kept)
    return [row for row in found if after is None or row > after][:limit]


async def _scored_page(uow: UnitOfWork, stmt: Select[Any], scored: Select[Any], levels: tuple[int, int],
                       after: tuple[int, datetime, UUID] | None, limit: int) -> list[tuple[int, datetime, UUID]]:
    """(score, created_at, id) of the next `limit` clients whose score is within `levels`, after the cursor's.

    The scored ids come in order from the index alone, twice as many as still wanted, then twice more..., and only
    their clients are read, to be filtered: however the planner misjudges how many words a range has, no other
    client is read."""
    client_id, created_at, score = scored.selected_columns
    low, high = levels
    ordered = scored.where(score == low if low == high else score.between(low, high)).order_by(
        score, created_at, client_id)
    found: list[tuple[int, datetime, UUID]] = []
    size, last = SCORED_CHUNK * limit, after
    while len(found) < limit:
        resumed = ordered if last is None else ordered.where(tuple_(score, created_at, client_id) > tuple_(*last))
        chunk = [(row.score, row.created_at, row.client_id) for row in await uow.session.execute(resumed.limit(size))]
        if not chunk:
            break
        kept = set(await uow.session.scalars(stmt.with_only_columns(Client.id).where(
            Client.id.in_([row[2] for row in chunk]))))
        found += [row for row in chunk if row[2] in kept][:limit - len(found)]
        if len(chunk) < size:
            break
        last, size = chunk[-1], size * 2
    return found


def _after_score(cursor: str | None) -> tuple[int, datetime, UUID] | None:
    """The (score, created_at, id) a relevance cursor resumes after; a 422 for any other cursor."""
    if not cursor:
        return None
    sort, value, last_id = decode_cursor(cursor, 3)
    try:
        level, created_at = value.split(" ", 1)
        if sort != "relevance":
            raise ValueError(sort)
        return int(level), datetime.fromisoformat(created_at), UUID(last_id)
    except ValueError as error:
        raise Problem(422, "invalid_cursor", "Invalid cursor",
                      "The cursor is not one this API gave for this sort.") from error


async def _looked_up_page(uow: UnitOfWork, stmt: Select[Any], lookup: search_index.Lookup, search: ClientSearch,
                          limit: int, cursor: str | None) -> tuple[list[Client], str | None]:
    """A page of the clients the word index finds. By creation, when it has many words, their ids are read a
    few years at a time until the page is full, then the page's clients at once."""
    after = _after(search.sort, cursor)
    if not (search.sort.lstrip("-") == "created_at" and lookup.yearly):
        narrowed, created = search_index.narrow(stmt, lookup.looked_up, search.phone_mode, search.sort, lookup.years)
        query = _ordered(narrowed, search.sort, after, created).limit(limit + 1)
        return _page(list((await uow.session.execute(query)).scalars()), search.sort, limit)
    start = search_index.year_of(after[0]) if after else None
    ids: list[UUID] = []
    for years in search_index.year_groups(lookup.years, search.sort.startswith("-"), start):
        narrowed, created = search_index.narrow(stmt, lookup.looked_up, search.phone_mode, search.sort, years)
        query = _ordered(narrowed, search.sort, after, created).with_only_columns(Client.id)
        ids.extend(await uow.session.scalars(query.limit(limit + 1 - len(ids))))
        if len(ids) > limit:
            break
    found = {client.id: client for client in await uow.session.scalars(
        select(Client).options(*PAGE_OPTIONS).where(Client.id.in_(ids)))}
    return _page([found[client_id] for client_id in ids], search.sort, limit)


def _holds(column: Any, fragment: str) -> ColumnElement[bool]:
    """The column holds the fragment: checked on the clients read, never looked up (search_index looks up
    words). `strpos(...) > 0` rather than LIKE, which the planner would guess keeps almost no client (a word
    typed is commoner than that), so reading in the sort's order would look needlessly slow to it."""
    return func.strpos(column, fragment) > 0


async def _sorted_page(
    uow: UnitOfWork, stmt: Select[Any], sort: ClientSort, limit: int, cursor: str | None
) -> tuple[list[Client], str | None]:
    """One page in the asked order, resuming after the cursor's (sort key, id); a cursor holds its sort."""
    query = _ordered(stmt, sort, _after(sort, cursor)).limit(limit + 1)
    return _page(list((await uow.session.execute(query)).scalars()), sort, limit)


def _after(sort: ClientSort, cursor: str | None) -> tuple[Any, UUID] | None:
    """The (sort key, id) a cursor resumes after; a 422 for a cursor of another sort or not one of ours."""
    if not cursor:
        return None
    cursor_sort, value, last_id = decode_cursor(cursor, 3)
    try:
        if cursor_sort != sort:
            raise ValueError(sort)
        return datetime.fromisoformat(value) if sort.lstrip("-") == "created_at" else value, UUID(last_id)
    except ValueError as error:
        raise Problem(422, "invalid_cursor", "Invalid cursor",
                      "The cursor is not one this API gave for this sort.") from error


def _ordered(stmt: Select[Any], sort: ClientSort, after: tuple[Any, UUID] | None,
             created: tuple[ColumnElement[Any], ColumnElement[Any]] | None = None) -> Select[Any]:
    """The search in the asked order, after the cursor's key. `created` are other columns holding the clients'
    (created_at, id) to sort by creation on."""
    name, descending = sort.lstrip("-"), sort.startswith("-")
    sort_key, id_key = created if created and name == "created_at" else (SORT_KEYS[name], Client.id)
    if after:
        key = tuple_(sort_key, id_key)
        stmt = stmt.where(key < after if descending else key > after)
    return stmt.order_by(*((sort_key.desc(), id_key.desc()) if descending else (sort_key, id_key)))


def _page(rows: list[Client], sort: ClientSort, limit: int) -> tuple[list[Client], str | None]:
    """The first `limit` of rows fetched one beyond, and the cursor to the next page when that one was there."""
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    value = {"last_name": last.sort_name, "postal_code": last.postal_code or "",
             "created_at": last.created_at.isoformat()}[sort.lstrip("-")]
    return rows[:limit], encode_cursor(sort, value, last.id)


async def update_client(uow: UnitOfWork, client_id: UUID, patch: dict[str, Any]) -> Client:
    """Apply the fields that really change; a patch that changes nothing bumps nothing and emits nothing."""
    client = await get_client(uow, client_id, for_update=True)
    type_kind = await _type_kind(uow, patch.get("client_type_id", client.client_type_id))
    with _reported_as_invalid_request():
        changes = revise(details_of(client), patch, type_kind, uow.clock.now().date())
    if not changes:
        return client
    if "client_code" in changes:
        await ensure_client_code_free(uow, changes["client_code"])
    if "category" in changes:
        changes["category"] = await categories.canonical(uow, changes["category"])
    for name, value in changes.items():
        setattr(client, name, list(value) if name == "address_lines" else value)
    await _index(uow, client, details_of(client))
    _changed(uow, client)
    await flush_unique_client_code(uow, client.client_code)
    return client


async def add_participant(uow: UnitOfWork, client_id: UUID, details: ParticipantDetails,
                          guardian_ids: Sequence[UUID] = ()) -> Participant:
    client = await get_client(uow, client_id, for_update=True)
    ensure_changeable(details_of(client))
    with _reported_as_invalid_request():
        record = new_participant(details, uow.clock.now().date())
    participant = Participant(client_id=client.id, **{**asdict(record), "address_lines": list(record.address_lines)},
                              created_at=uow.clock.now(), guardian_links=[])
    set_guardians(client, participant, list(guardian_ids))
    client.participants.append(participant)
    await uow.session.flush()
    _changed(uow, client)
    return participant


def set_guardians(client: Client, participant: Participant, guardian_ids: list[UUID]) -> bool:
    """Make these of the client's legal guardians the ones answering for the participant; whether that changed."""
    with _reported_as_invalid_request():
        named = participant_guardians(guardian_ids, {guardian.id for guardian in client.legal_guardians})
    if named == participant.legal_guardian_ids:
        return False
    kept = {link.legal_guardian_id: link for link in participant.guardian_links}
    participant.guardian_links = [kept.get(guardian) or ParticipantGuardian(legal_guardian_id=guardian,
                                                                            client_id=client.id)
                                  for guardian in sorted(named)]
    return True


async def get_participant(uow: UnitOfWork, client_id: UUID, participant_id: UUID,
                          guardian_id: UUID | None = None) -> Participant:
    """The client's participant; for a legal guardian's account (`guardian_id`), only one it answers for."""
    await get_client(uow, client_id)
    participant = await uow.session.get(Participant, participant_id)
    if participant is None or participant.client_id != client_id or (
            guardian_id is not None and guardian_id not in participant.legal_guardian_ids):
        raise NotFound("participant", participant_id)
    return participant


async def list_participants(
    uow: UnitOfWork, client_id: UUID, limit: int, cursor: str | None, guardian_id: UUID | None = None
) -> tuple[list[Participant], str | None]:
    """The client's participants; for a legal guardian's account (`guardian_id`), those it answers for."""
    await get_client(uow, client_id)
    stmt = select(Participant).where(Participant.client_id == client_id)
    if guardian_id is not None:
        stmt = stmt.where(exists().where(ParticipantGuardian.participant_id == Participant.id,
                                         ParticipantGuardian.legal_guardian_id == guardian_id))
    return await keyset_page(uow.session, stmt, Participant.created_at, Participant.id, limit, cursor)


async def _type_kind(uow: UnitOfWork, client_type_id: UUID | None) -> Kind | None:
    """The base kind of the named client type; None when none is named or it does not exist."""
    if client_type_id is None:
        return None
    return await uow.session.scalar(select(ClientType.kind).where(ClientType.id == client_type_id))


async def _index(uow: UnitOfWork, client: Client, details: Details) -> None:
    """Rewrite the columns searches and sorts read, from the record they derive from, and the client's words."""
    previous = set() if client.search_text is None else search_index.words(client.search_text, client.phone_digits)
    client.search_text = search_text(client.id, details)
    client.phone_digits = phone_digits(details)
    client.sort_name = sort_name(details)
    client.notes_text = notes_text(details)
    current = search_index.words(client.search_text, client.phone_digits)
    await search_index.reindex(uow.session, client.id, client.created_at, previous, current)


async def create_client_type(uow: UnitOfWork, details: ClientTypeDetails) -> ClientType:
    with _reported_as_invalid_request():
        record = new_client_type(details)
    await _ensure_name_free(uow, record.name)
    now = uow.clock.now()
    client_type = ClientType(**asdict(record), version=1, created_at=now, updated_at=now)
    uow.session.add(client_type)
    await _flush_unique_name(uow, record.name)
    _emit_type(uow, ClientTypeCreated, client_type)
    return client_type


async def get_client_type(uow: UnitOfWork, client_type_id: UUID, for_update: bool = False) -> ClientType:
    client_type = await uow.session.get(ClientType, client_type_id, with_for_update=for_update)
    if client_type is None:
        raise NotFound("client type", client_type_id)
    return client_type


async def list_client_types(
    uow: UnitOfWork, kind: Kind | None, limit: int, cursor: str | None
) -> tuple[list[ClientType], str | None]:
    stmt = select(ClientType)
    if kind:
        stmt = stmt.where(ClientType.kind == kind)
    return await keyset_page(uow.session, stmt, ClientType.created_at, ClientType.id, limit, cursor)


async def update_client_type(uow: UnitOfWork, client_type_id: UUID, patch: dict[str, Any]) -> ClientType:
    """Change a type's name or flags; its kind only while no client has the type, which would then mismatch."""
    client_type = await get_client_type(uow, client_type_id, for_update=True)
    current = ClientTypeDetails(**{f.name: getattr(client_type, f.name) for f in fields(ClientTypeDetails)})
    with _reported_as_invalid_request():
        revised = new_client_type(ClientTypeDetails(**{**asdict(current), **patch}))
    changes = {name: value for name, value in asdict(revised).items() if value != getattr(current, name)}
    if not changes:
        return client_type
    if "name" in changes and revised.name.lower() != current.name.lower():
        await _ensure_name_free(uow, revised.name)
    if "kind" in changes and await uow.session.scalar(select(exists().where(Client.client_type_id == client_type.id))):
        raise DomainError("client_type_in_use",
                          "Clients have this type: give them another type before changing its kind.")
    for name, value in changes.items():
        setattr(client_type, name, value)
    client_type.version += 1
    client_type.updated_at = uow.clock.now()
    await _flush_unique_name(uow, revised.name)
    _emit_type(uow, ClientTypeUpdated, client_type)
    return client_type


def _emit_type(uow: UnitOfWork, event: type[ClientTypeState], client_type: ClientType) -> None:
    """The type's whole new state: identity decides front-office logins from its flags."""
    flags = {f.name: getattr(client_type, f.name) for f in fields(ClientTypeDetails)}
    uow.emit(event(client_type_id=client_type.id, **flags), client_type.id, client_type.version)


async def _ensure_name_free(uow: UnitOfWork, name: str) -> None:
    taken = await uow.session.scalar(select(exists().where(func.lower(ClientType.name) == func.lower(name))))
    if taken:
        raise _name_taken(name)


async def _flush_unique_name(uow: UnitOfWork, name: str) -> None:
    """A concurrent request may take the name between the check and the write: still a 409, not a 500."""
    await uow.flush_unique(_name_taken(name))


def _name_taken(name: str) -> DomainError:
    return DomainError("client_type_name_taken", f"A client type is already named {name!r}.")


def _changed(uow: UnitOfWork, client: Client, event: type[ClientState] = ClientUpdated) -> None:
    """A new version of the client, announced with its whole state."""
    client.version += 1
    client.updated_at = uow.clock.now()
    _emit(uow, event, client)


def _emit(uow: UnitOfWork, event: type[ClientState], client: Client) -> None:
    """The client's whole new state, without health data."""
    uow.emit(
        event(
            client_id=client.id, kind=client.kind, display_name=display_name(details_of(client)),
            civility=client.civility, last_name=client.last_name, first_name=client.first_name,
            company_name=client.company_name, email=client.email, mobile=client.mobile, landline=client.landline,
            address_lines=client.address_lines, postal_code=client.postal_code,
            city=client.city, country=client.country, recipient_preference=client.recipient_preference,
            client_type_id=client.client_type_id, disputed=client.disputed, blocked=client.blocked,
            dormant=client.dormant, active=client.active,
            client_code=client.client_code, category=client.category, sales_operator=client.sales_operator,
            siret=client.siret, vat_number=client.vat_number, vat_validated=client.vat_validated,
            tax_exempt=client.tax_exempt, billing_excluding_tax=client.billing_excluding_tax,
            permanent_discount_rate=client.permanent_discount_rate, markup=client.markup,
            all_offers=client.all_offers, deferred_payment_allowed=client.deferred_payment_allowed,
            credit_limit=client.credit_limit, referrer_id=client.referrer_id,
            newsletter_consent=client.newsletter_consent, partner_offers_consent=client.partner_offers_consent,
            inactive_message=client.inactive_message,
            legal_guardians=[
                GuardianSnapshot(guardian_id=g.id, civility=g.civility, last_name=g.last_name,
                                 first_name=g.first_name, email=g.email)
                for g in client.legal_guardians
            ],
            contacts=[
                ContactSnapshot(contact_id=c.id, name=" ".join(filter(None, (c.first_name, c.last_name))),
                                email=c.email, copy_on_emails=c.copy_on_emails)
                for c in client.contacts
            ],
            participants=[
                ParticipantSnapshot(participant_id=p.id, last_name=p.last_name, first_name=p.first_name,
                                    birth_date=p.birth_date, legal_guardian_ids=p.legal_guardian_ids)
                for p in client.participants
            ],
        ),
        client.id,
        client.version,
    )
