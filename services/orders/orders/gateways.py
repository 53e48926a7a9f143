"""What orders asks other services over HTTP (queries only): the client, the departure being booked and its price,
the client's type and wallet, the organiser's commercial settings (membership, deposit)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

import httpx

from orders.domain.cancellation import FeeTier
from orders.domain.deposit import DepositPolicy
from orders.domain.membership import Policy, Year
from orders.domain.pricing import AddOnProduct, Extra, ParticipantPrice, Transport
from shared.http import Refused, every_item, get_json
from shared.problems import DomainError, Problem


@dataclass(frozen=True)
class ClientInfo:
    id: UUID
    display_name: str
    blocked: bool
    buyer: dict[str, Any]
    participants: dict[UUID, dict[str, Any]]
    kind: str = "private"
    client_type_id: UUID | None = None
    disputed: bool = False


@dataclass(frozen=True)
class DepartureInfo:
    id: UUID
    stay_title: str
    start_date: date
    end_date: date
    base_price: Decimal
    stay_id: UUID | None = None
    organiser_id: UUID | None = None


@dataclass(frozen=True)
class GuardianInfo:
    """A legal guardian of the client, named on the order next to its participant (seed 001)."""

    id: UUID
    name: str


@dataclass(frozen=True)
class ResellerInfo:
    """A reseller client as stock records it (seed 000): it may sell, or buy, only the departures assigned to it."""

    client_id: UUID
    name: str


@dataclass(frozen=True)
class ClientTypeTerms:
    """The client type's membership flags and whether its clients may order online (seed 000)."""

    individual_membership_only: bool
    no_membership_on_group_orders: bool
    front_office_ordering_allowed: bool = True


@dataclass(frozen=True)
class CommercialSettings:
    """The organiser's membership policy (None when no membership is managed), the deposit rules (seed 004) and how
    long an option lasts, then stays expired before it is archived (seed 001: days, per organiser)."""

    membership: Policy | None
    deposit: DepositPolicy
    option_days: int | None = None
    expired_option_days: int | None = None


@dataclass(frozen=True)
class RequiredDocument:
    code: str
    label: str


@dataclass(frozen=True)
class StayTerms:
    """What the stay of a departure asks of each booking: its paperwork and its cancellation schedule."""

    required_documents: tuple[RequiredDocument, ...] = ()
    cancellation_fees: tuple[FeeTier, ...] = ()


@dataclass(frozen=True)
class ClientProfile:
    """What the travel pack needs of the client: whether its type gets the pack despite an incomplete file or an
    unpaid balance. (Who is e-mailed is notifications' business: its projection knows the legal guardians.)"""

    documents_despite_incomplete_file: bool = False


@dataclass(frozen=True)
class Wallet:
    """A client's wallet as clients states it: its balance and the orders whose cashback it has debited."""

    balance: Decimal = Decimal("0.00")
    debited_orders: frozenset[UUID] = frozenset()


class Directory(Protocol):
    async def client(self, client_id: UUID, fresh: bool = False) -> ClientInfo | None:
        """The client; `fresh`: as its owner has it now, not as a copy may still have it."""
        ...

    async def departure(self, departure_id: UUID) -> DepartureInfo | None: ...

    async def price(self, departure_id: UUID, outbound_city_id: UUID | None, return_city_id: UUID | None,
                    extra_ids: tuple[UUID, ...], add_on_ids: tuple[UUID, ...] = (),
                    reseller_id: UUID | None = None) -> ParticipantPrice:
        """One participant's price with the departure's mandatory add-ons and the optional ones chosen, raised by the
        reseller's markup when sold through one; a city, extra or add-on the departure does not offer is a 422
        Problem, a departure not assigned to the reseller a 409 `departure_not_assigned`."""
        ...

    async def reseller(self, client_id: UUID) -> ResellerInfo | None: ...

    async def linked(self, client_id: UUID, other_id: UUID) -> bool:
        """Whether clients links the two clients (seed 000's « liaison entre clients »), one way or the other."""
        ...

    async def legal_guardian(self, client_id: UUID, guardian_id: UUID) -> GuardianInfo | None:
        """The client's legal guardian, or None when the client has no such guardian."""
        ...

    async def stay_terms(self, departure_id: UUID) -> StayTerms | None: ...

    async def client_profile(self, client_id: UUID) -> ClientProfile: ...

    async def close(self) -> None: ...

    async def client_type(self, client_type_id: UUID, fresh: bool = False) -> ClientTypeTerms | None: ...
    async def wallet(self, client_id: UUID) -> Wallet: ...
    async def commercial_settings(self, organiser_id: UUID) -> CommercialSettings | None: ...


class HttpDirectory:
    def __init__(self, clients: httpx.AsyncClient, stock: httpx.AsyncClient) -> None:
        self._clients, self._stock = clients, stock

    async def close(self) -> None:
        await self._clients.aclose()
        await self._stock.aclose()

    async def client(self, client_id: UUID, fresh: bool = False) -> ClientInfo | None:
        body = await get_json(self._clients, f"/clients/{client_id}", "clients")
        if body is None:
            return None
        return ClientInfo(
            id=UUID(body["id"]),
            display_name=body["display_name"],
            blocked=body["blocked"],
            buyer={
                "client_id": body["id"], "name": body["display_name"], "address_lines": body["address_lines"],
                "postal_code": body["postal_code"], "city": body["city"], "country": body["country"],
                "email": body["email"],
            },
            kind=body.get("kind", "private"),
            client_type_id=UUID(body["client_type_id"]) if body.get("client_type_id") else None,
            disputed=body.get("disputed", False),
            participants={
                UUID(p["id"]): {
                    "last_name": p["last_name"],
                    "first_name": p["first_name"],
                    "birth_date": date.fromisoformat(p["birth_date"]) if p.get("birth_date") else None,
                }
                for p in body["participants"]
            },
        )

    async def departure(self, departure_id: UUID) -> DepartureInfo | None:
        """Stock answers the departure with its stay's title and organiser: one query per booking."""
        body = await get_json(self._stock, f"/departures/{departure_id}", "stock")
        if body is None:
            return None
        return DepartureInfo(
            id=UUID(body["id"]),
            stay_title=body["stay_title"],
            start_date=date.fromisoformat(body["start_date"]),
            end_date=date.fromisoformat(body["end_date"]),
            base_price=Decimal(body["base_price"]),
            stay_id=UUID(body["stay_id"]),
            organiser_id=UUID(body["organiser_id"]) if body.get("organiser_id") else None,
        )

    async def price(self, departure_id: UUID, outbound_city_id: UUID | None, return_city_id: UUID | None,
                    extra_ids: tuple[UUID, ...], add_on_ids: tuple[UUID, ...] = (),
                    reseller_id: UUID | None = None) -> ParticipantPrice:
        params: dict[str, Any] = {"extras": [str(e) for e in extra_ids], "add_ons": [str(a) for a in add_on_ids],
                                  "with_add_ons": "true"}
        if reseller_id is not None:
            params["reseller_id"] = str(reseller_id)
        if outbound_city_id is not None:
            params["outbound_city"] = str(outbound_city_id)
        if return_city_id is not None:
            params["return_city"] = str(return_city_id)
        path = f"/departures/{departure_id}/pricing"
        try:
            body = await get_json(self._stock, path, "stock", params, refused=(404, 409))
        except Refused as refused:
            if refused.status == 409:
                raise DomainError("departure_not_assigned",
                                  "Ce départ n'est pas affecté au revendeur : il ne peut pas être vendu par lui ni "
                                  "à lui. Affectez-le au revendeur dans le stock, ou choisissez un départ affecté."
                                  ) from None
            raise Problem(422, "unknown_departure_choice", "Unknown city, extra or add-on",
                          f"Departure {departure_id} does not offer this choice: {refused.detail}") from None
        transport = body["transport"]
        return ParticipantPrice(
            base_price=Decimal(body["base_price"]),
            transport=Transport(transport["outbound_city"], transport["return_city"], Decimal(transport["fare"]))
            if transport else None,
            extras=tuple(Extra(e["label"], Decimal(e["price"])) for e in body["extras"]),
            add_ons=tuple(AddOnProduct(a["label"], Decimal(a["price"])) for a in body.get("add_ons", [])),
        )

    async def reseller(self, client_id: UUID) -> ResellerInfo | None:
        body = await get_json(self._stock, f"/resellers/{client_id}", "stock")
        return ResellerInfo(UUID(body["client_id"]), body["name"]) if body else None

    async def linked(self, client_id: UUID, other_id: UUID) -> bool:
        for one, other in ((client_id, other_id), (other_id, client_id)):
            page = await get_json(self._clients, f"/clients/{one}/links", "clients", {"limit": 200})
            if page is None:  # no such client: linked to nobody
                return False
            links = page["items"]
            if page["next_cursor"]:
                links += await every_item(self._clients, f"/clients/{one}/links", "clients", {}, page["next_cursor"])
            if any(link["linked_client_id"] == str(other) for link in links):
                return True
        return False

    async def legal_guardian(self, client_id: UUID, guardian_id: UUID) -> GuardianInfo | None:
        body = await get_json(self._clients, f"/clients/{client_id}/legal-guardians/{guardian_id}", "clients")
        if body is None:
            return None
        return GuardianInfo(UUID(body["id"]), " ".join(filter(None, (body.get("first_name"), body["last_name"]))))

    async def client_type(self, client_type_id: UUID, fresh: bool = False) -> ClientTypeTerms | None:
        body = await get_json(self._clients, f"/client-types/{client_type_id}", "clients")
        if body is None:
            return None
        return ClientTypeTerms(body["individual_membership_only"], body["no_membership_on_group_orders"],
                               body["front_office_ordering_allowed"])

    async def wallet(self, client_id: UUID) -> Wallet:
        """The balance, and every debit naming an order, through the ledger's pages."""
        body = await get_json(self._clients, f"/clients/{client_id}/wallet", "clients", {"limit": 200})
        if body is None:
            return Wallet()
        entries = body["entries"]
        if body["next_cursor"]:
            entries += await every_item(self._clients, f"/clients/{client_id}/wallet/entries", "clients", {},
                                        body["next_cursor"])
        return Wallet(Decimal(body["balance"]), frozenset(
            UUID(e["order_id"]) for e in entries if e.get("order_id") and Decimal(e["amount"]) < 0))

    async def commercial_settings(self, organiser_id: UUID) -> CommercialSettings | None:
        body = await get_json(self._stock, f"/organisers/{organiser_id}/commercial-settings", "stock")
        if body is None:
            return None
        membership, deposit = body.get("membership"), body["deposit"]
        return CommercialSettings(
            membership=Policy(
                scope_id=UUID(membership["scope_organiser_id"]),
                scope_name=membership.get("scope_name") or "l'organisateur",
                individual_fee=Decimal(membership["individual_fee"] or 0),
                family_fee=Decimal(membership["family_fee"]) if membership.get("family_fee") else None,
                year=Year(membership["year"]),
            ) if membership else None,
            deposit=DepositPolicy(Decimal(deposit["percent"]), int(deposit["late_threshold_days"]),
                                  Decimal(deposit["late_percent"]), bool(deposit["other_means_when_late"])),
            option_days=body.get("option_days"), expired_option_days=body.get("expired_option_days"),
        )


    async def stay_terms(self, departure_id: UUID) -> StayTerms | None:
        departure = await get_json(self._stock, f"/departures/{departure_id}", "stock")
        if departure is None:
            return None
        stay = await get_json(self._stock, f"/stays/{departure['stay_id']}", "stock") or {}
        return StayTerms(
            required_documents=tuple(RequiredDocument(d["code"], d["label"])
                                     for d in stay.get("required_documents", [])),
            cancellation_fees=tuple(FeeTier(int(t["days_before"]), Decimal(t["percent"]))
                                    for t in stay.get("cancellation_fees", [])),
        )


    async def client_profile(self, client_id: UUID) -> ClientProfile:
        client = await get_json(self._clients, f"/clients/{client_id}", "clients") or {}
        allowed = False
        if client.get("client_type_id"):
            client_type = await get_json(self._clients, f"/client-types/{client['client_type_id']}", "clients") or {}
            allowed = bool(client_type.get("documents_despite_incomplete_file", False))
        return ClientProfile(documents_despite_incomplete_file=allowed)
