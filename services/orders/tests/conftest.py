import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from orders.app import OrdersSettings, create
from orders.domain.deposit import DepositPolicy
from orders.domain.membership import Policy
from orders.domain.pricing import AddOnProduct, Extra, ParticipantPrice, Transport
from orders.gateways import (
    ClientInfo,
    ClientProfile,
    ClientTypeTerms,
    CommercialSettings,
    DepartureInfo,
    GuardianInfo,
    ResellerInfo,
    StayTerms,
    Wallet,
)
from shared.clock import FrozenClock
from shared.db import InboxRow
from shared.events import Envelope
from shared.money import quantize
from shared.problems import DomainError, Problem
from shared.testing import Infra, eventually, migrated_database, running, service_settings, truncate_all


class FakeDirectory:
    """Clients and departures as the other services would answer, without running them.

    Prices follow stock: another return city costs the mean of both fares plus 20 % (seed 001).
    """

    def __init__(self) -> None:
        self.clients: dict[uuid.UUID, ClientInfo] = {}
        self.departures: dict[uuid.UUID, DepartureInfo] = {}
        self.cities: dict[uuid.UUID, tuple[uuid.UUID, str, Decimal]] = {}
        self.extras: dict[uuid.UUID, tuple[uuid.UUID, str, Decimal]] = {}
        self.add_ons: dict[uuid.UUID, tuple[uuid.UUID, str, Decimal, bool]] = {}
        self.resellers: dict[uuid.UUID, ResellerInfo] = {}
        self.guardians: dict[tuple[uuid.UUID, uuid.UUID], GuardianInfo] = {}
        self.assignments: dict[tuple[uuid.UUID, uuid.UUID], Decimal] = {}
        self.price_queries = 0
        self.reseller_queries = 0
        self.client_types: dict[uuid.UUID, ClientTypeTerms] = {}
        self.wallets: dict[uuid.UUID, Decimal] = {}
        self.debited: dict[uuid.UUID, set[uuid.UUID]] = {}
        """Orders whose cashback clients has debited from the client's wallet (its entries naming them)."""
        self.settings: dict[uuid.UUID, CommercialSettings] = {}
        self.terms: dict[uuid.UUID, StayTerms] = {}
        self.profiles: dict[uuid.UUID, ClientProfile] = {}
        self.links: set[frozenset[uuid.UUID]] = set()
        """Pairs of clients linked in clients (a reseller and its customer)."""

    def add_family(self, children: int = 1, blocked: bool = False) -> ClientInfo:
        client_id = uuid.uuid4()
        participants = {
            uuid.uuid4(): {"last_name": "Martin", "first_name": f"Enfant{i}", "birth_date": date(2015, 3, i + 1)}
            for i in range(children)
        }
        client = ClientInfo(client_id, "Mme MARTIN Claire", blocked,
                            {"client_id": str(client_id), "name": "Mme MARTIN Claire",
                             "address_lines": ["3 rue des Lilas"], "postal_code": "69003", "city": "Lyon",
                             "country": "FR", "email": "claire.martin@example.fr"}, participants)
        self.clients[client_id] = client
        return client

    def add_departure(self, price: str = "850.00") -> DepartureInfo:
        departure = DepartureInfo(uuid.uuid4(), "Aventure en Ardèche", date(2027, 7, 10), date(2027, 7, 24),
                                  Decimal(price))
        self.departures[departure.id] = departure
        return departure

    def add_city(self, departure: DepartureInfo, city: str, fare: str) -> uuid.UUID:
        city_id = uuid.uuid4()
        self.cities[city_id] = (departure.id, city, Decimal(fare))
        return city_id

    def add_extra(self, departure: DepartureInfo, label: str, price: str) -> uuid.UUID:
        extra_id = uuid.uuid4()
        self.extras[extra_id] = (departure.id, label, Decimal(price))
        return extra_id

    def add_add_on(self, departure: DepartureInfo, label: str, price: str, mandatory: bool = False) -> uuid.UUID:
        add_on_id = uuid.uuid4()
        self.add_ons[add_on_id] = (departure.id, label, Decimal(price), mandatory)
        return add_on_id

    async def price(self, departure_id: uuid.UUID, outbound_city_id: uuid.UUID | None,
                    return_city_id: uuid.UUID | None, extra_ids: tuple[uuid.UUID, ...],
                    add_on_ids: tuple[uuid.UUID, ...] = (), reseller_id: uuid.UUID | None = None
                    ) -> ParticipantPrice:
        self.price_queries += 1
        markup = Decimal(0)
        if reseller_id is not None:
            if (reseller_id, departure_id) not in self.assignments:
                raise DomainError("departure_not_assigned", "Ce départ n'est pas affecté au revendeur.")
            markup = self.assignments[(reseller_id, departure_id)]
        offered = [self.cities.get(i) for i in (outbound_city_id, return_city_id) if i is not None]
        offered += [self.extras.get(i) for i in extra_ids] + [self.add_ons.get(i) for i in add_on_ids]
        if any(item is None or item[0] != departure_id for item in offered):
            raise Problem(422, "unknown_departure_choice", "Unknown city or extra", "Not offered by this departure.")
        transport = None
        if outbound_city_id is not None:
            _, out, out_fare = self.cities[outbound_city_id]
            _, back, back_fare = self.cities[return_city_id or outbound_city_id]
            fare = out_fare if back == out else quantize((out_fare + back_fare) / 2 * Decimal("1.2"))
            transport = Transport(out, back, fare)
        extras = tuple(Extra(self.extras[i][1], self.extras[i][2]) for i in extra_ids)
        add_ons = tuple(AddOnProduct(label, price) for i, (departure, label, price, mandatory) in self.add_ons.items()
                        if departure == departure_id and (mandatory or i in add_on_ids))
        price = ParticipantPrice(self.departures[departure_id].base_price, transport, extras, add_ons)
        return marked_up(price, markup) if markup else price

    def add_reseller(self, client: ClientInfo, *departures: DepartureInfo, markup: str = "10") -> ClientInfo:
        """Make the client a reseller in stock, with these departures assigned at this markup."""
        self.resellers[client.id] = ResellerInfo(client.id, client.display_name)
        for departure in departures:
            self.assignments[(client.id, departure.id)] = Decimal(markup)
        return client

    async def reseller(self, client_id: uuid.UUID) -> ResellerInfo | None:
        self.reseller_queries += 1
        return self.resellers.get(client_id)

    def link(self, client: ClientInfo, other: ClientInfo) -> None:
        self.links.add(frozenset((client.id, other.id)))

    async def linked(self, client_id: uuid.UUID, other_id: uuid.UUID) -> bool:
        return frozenset((client_id, other_id)) in self.links

    def of_type(self, client: ClientInfo, ordering_online: bool) -> ClientInfo:
        """Give the client a type that allows, or not, ordering on the front office."""
        type_id = uuid.uuid4()
        self.client_types[type_id] = ClientTypeTerms(False, False, front_office_ordering_allowed=ordering_online)
        self.clients[client.id] = replace(client, client_type_id=type_id)
        return self.clients[client.id]

    def add_guardian(self, client: ClientInfo, name: str) -> uuid.UUID:
        guardian = GuardianInfo(uuid.uuid4(), name)
        self.guardians[(client.id, guardian.id)] = guardian
        return guardian.id

    async def legal_guardian(self, client_id: uuid.UUID, guardian_id: uuid.UUID) -> GuardianInfo | None:
        return self.guardians.get((client_id, guardian_id))

    async def client(self, client_id: uuid.UUID, fresh: bool = False) -> ClientInfo | None:
        return self.clients.get(client_id)

    async def departure(self, departure_id: uuid.UUID) -> DepartureInfo | None:
        return self.departures.get(departure_id)

    async def stay_terms(self, departure_id: uuid.UUID) -> StayTerms | None:
        if departure_id not in self.departures:
            return None
        return self.terms.get(departure_id, StayTerms())

    async def client_profile(self, client_id: uuid.UUID) -> ClientProfile:
        return self.profiles.get(client_id, ClientProfile())

    async def close(self) -> None:
        """Nothing to release."""

    def add_professional(self, children: int, individual_only: bool = False, no_group_membership: bool = False
                         ) -> ClientInfo:
        """A professional client (group orders) of a client type with these membership flags."""
        type_id = uuid.uuid4()
        self.client_types[type_id] = ClientTypeTerms(individual_only, no_group_membership)
        client = replace(self.add_family(children), kind="professional", client_type_id=type_id,
                         display_name="Mairie de Villeurbanne")
        self.clients[client.id] = client
        return client

    def dispute(self, client: ClientInfo) -> ClientInfo:
        self.clients[client.id] = replace(client, disputed=True)
        return self.clients[client.id]

    def organise(self, departure: DepartureInfo, membership: Policy | None = None,
                 deposit: DepositPolicy = DepositPolicy(Decimal("30.00"), 30, Decimal("100.00"), False)) -> uuid.UUID:
        """Give the departure's stay an organiser with these commercial settings; returns the organiser's id."""
        organiser_id = membership.scope_id if membership else uuid.uuid4()
        self.departures[departure.id] = replace(departure, organiser_id=organiser_id, stay_id=uuid.uuid4())
        self.settings[organiser_id] = CommercialSettings(membership, deposit)
        return organiser_id

    async def client_type(self, client_type_id: uuid.UUID, fresh: bool = False) -> ClientTypeTerms | None:
        return self.client_types.get(client_type_id)

    async def wallet(self, client_id: uuid.UUID) -> Wallet:
        return Wallet(self.wallets.get(client_id, Decimal("0.00")), frozenset(self.debited.get(client_id, ())))

    async def commercial_settings(self, organiser_id: uuid.UUID) -> CommercialSettings | None:
        return self.settings.get(organiser_id)


def marked_up(price: ParticipantPrice, markup: Decimal) -> ParticipantPrice:
    """Stock's reseller price: each part raised by the markup and rounded on its own (seed 000)."""
    def up(amount: Decimal) -> Decimal:
        return quantize(amount * (1 + markup / 100))

    transport = replace(price.transport, fare=up(price.transport.fare)) if price.transport else None
    return ParticipantPrice(up(price.base_price), transport,
                            tuple(replace(e, price=up(e.price)) for e in price.extras),
                            tuple(replace(a, price=up(a.price)) for a in price.add_ons))


@pytest.fixture(scope="session")
def orders_db(infra: Infra) -> str:
    return migrated_database(infra, "orders")


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
async def orders(infra: Infra, orders_db: str, directory: FakeDirectory, clock: FrozenClock
                 ) -> AsyncIterator[httpx.AsyncClient]:
    await truncate_all(orders_db)
    settings = service_settings(OrdersSettings, infra, "orders", orders_db, job_interval_seconds=0.1)
    async with running(create(settings, clock, directory)) as client:
        yield client


@pytest.fixture
async def applied(orders_db: str):
    """Wait until the service has handled a published event (applied it or found nothing to do): its inbox row."""
    engine = create_async_engine(orders_db)

    async def wait(envelope: Envelope) -> None:
        async def recorded() -> bool:
            async with engine.connect() as connection:
                found = await connection.scalar(select(InboxRow.event_id).where(InboxRow.event_id == envelope.id))
            return found is not None

        await eventually(recorded)

    yield wait
    await engine.dispose()
