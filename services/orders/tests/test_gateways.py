"""How orders reads stock's pricing query, and how it reports what stock does not know."""
import uuid
from decimal import Decimal

import httpx
import pytest

from orders.domain.cancellation import FeeTier
from orders.domain.deposit import DepositPolicy
from orders.domain.membership import Policy, Year
from orders.domain.pricing import AddOnProduct, Extra, ParticipantPrice, Transport
from orders.gateways import (
    ClientProfile,
    ClientTypeTerms,
    CommercialSettings,
    GuardianInfo,
    HttpDirectory,
    RequiredDocument,
    ResellerInfo,
    StayTerms,
    Wallet,
)
from shared.problems import DomainError, Problem

DEPARTURE, LYON, TOULOUSE, RIDING, INSURANCE, FEES = (uuid.uuid4() for _ in range(6))
FIRST, SECOND = uuid.uuid4(), uuid.uuid4()


def stock_answering(handler) -> HttpDirectory:
    clients = httpx.AsyncClient(base_url="http://clients")
    return HttpDirectory(clients, httpx.AsyncClient(base_url="http://stock", transport=httpx.MockTransport(handler)))


async def test_the_pricing_query_names_the_choices_and_its_answer_becomes_a_participant_price():
    seen = []

    def pricing(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json={
            "departure_id": str(DEPARTURE), "base_price": "850.00", "transport_fare": "42.00", "total": "1012.00",
            "transport": {"outbound_city_id": str(LYON), "outbound_city": "Lyon", "return_city_id": str(TOULOUSE),
                          "return_city": "Toulouse", "fare": "42.00"},
            "extras": [{"id": str(RIDING), "label": "Équitation", "price": "120.00"}],
            "add_ons": [{"id": str(FEES), "label": "Frais de dossier", "mandatory": True, "price": "20.00"},
                        {"id": str(INSURANCE), "label": "Assurance annulation", "mandatory": False, "price": "35.00"}]})

    directory = stock_answering(pricing)
    price = await directory.price(DEPARTURE, LYON, TOULOUSE, (RIDING,), (INSURANCE,))
    await directory.close()
    assert seen[0].path == f"/departures/{DEPARTURE}/pricing"
    assert dict(seen[0].params) == {"outbound_city": str(LYON), "return_city": str(TOULOUSE), "extras": str(RIDING),
                                    "add_ons": str(INSURANCE), "with_add_ons": "true"}
    assert price == ParticipantPrice(850, Transport("Lyon", "Toulouse", 42), (Extra("Équitation", 120),),
                                     (AddOnProduct("Frais de dossier", 20), AddOnProduct("Assurance annulation", 35)))


async def test_a_reseller_s_price_names_it_and_a_departure_not_assigned_to_it_is_relayed_as_a_409():
    reseller = uuid.uuid4()

    def stock(request: httpx.Request) -> httpx.Response:
        if request.url.path == f"/resellers/{reseller}":
            return httpx.Response(200, json={"client_id": str(reseller), "name": "Mairie de Bron",
                                             "markup_percent": "10.00", "all_offers": False,
                                             "created_at": "2027-03-01T09:00:00Z"})
        if request.url.path.startswith("/resellers/"):
            return httpx.Response(404, json={"code": "not_found", "detail": "No reseller."})
        assert request.url.params["reseller_id"] == str(reseller)
        return httpx.Response(409, json={"code": "departure_not_assigned", "detail": "Not assigned."})

    directory = stock_answering(stock)
    found, unknown = await directory.reseller(reseller), await directory.reseller(uuid.uuid4())
    with pytest.raises(DomainError) as refused:
        await directory.price(DEPARTURE, None, None, (), reseller_id=reseller)
    await directory.close()
    assert found == ResellerInfo(reseller, "Mairie de Bron") and unknown is None
    assert refused.value.code == "departure_not_assigned" and "revendeur" in refused.value.message


async def test_a_legal_guardian_is_read_from_its_client_s_guardians_in_clients():
    guardian = uuid.uuid4()

    def clients(request: httpx.Request) -> httpx.Response:
        if request.url.path == f"/clients/{CLIENT}/legal-guardians/{guardian}":
            return httpx.Response(200, json={"id": str(guardian), "client_id": str(CLIENT), "last_name": "Martin",
                                             "first_name": "Paul", "civility": "M."})
        return httpx.Response(404, json={"code": "not_found", "detail": "No such guardian."})

    directory = answering(clients, lambda _: httpx.Response(404))
    found, unknown = await directory.legal_guardian(CLIENT, guardian), await directory.legal_guardian(CLIENT, CLIENT)
    await directory.close()
    assert found == GuardianInfo(guardian, "Paul Martin") and unknown is None


async def test_a_city_or_extra_stock_does_not_know_is_a_422_naming_it():
    directory = stock_answering(lambda _: httpx.Response(404, json={
        "code": "not_found", "detail": f"No city of this departure with id {LYON}."}))
    with pytest.raises(Problem) as refused:
        await directory.price(DEPARTURE, LYON, None, ())
    await directory.close()
    assert refused.value.status == 422 and refused.value.code == "unknown_departure_choice"
    assert f"No city of this departure with id {LYON}." in refused.value.detail


ORGANISER, MASTER, CLIENT, CLIENT_TYPE = (uuid.uuid4() for _ in range(4))


def answering(clients_handler, stock_handler) -> HttpDirectory:
    return HttpDirectory(
        httpx.AsyncClient(base_url="http://clients", transport=httpx.MockTransport(clients_handler)),
        httpx.AsyncClient(base_url="http://stock", transport=httpx.MockTransport(stock_handler)))


async def test_the_organiser_s_commercial_settings_become_membership_deposit_and_option_durations():
    def stock(request: httpx.Request) -> httpx.Response:
        assert request.url.path == f"/organisers/{ORGANISER}/commercial-settings"
        return httpx.Response(200, json={
            "organiser_id": str(ORGANISER), "master_organiser_id": str(MASTER),
            "membership": {"managed_by": "master", "scope_organiser_id": str(MASTER), "individual_fee": "15.00",
                           "family_fee": "20.00", "year": "rolling"},
            "deposit": {"percent": "30.00", "late_threshold_days": 30, "late_percent": "100.00",
                        "other_means_when_late": False},
            "return_city_variation_percent": "20.00", "option_days": 5, "expired_option_days": 3})

    directory = answering(lambda _: httpx.Response(404), stock)
    settings = await directory.commercial_settings(ORGANISER)
    await directory.close()
    assert settings == CommercialSettings(
        Policy(MASTER, "l'organisateur", Decimal("15.00"), Decimal("20.00"), Year.ROLLING),
        DepositPolicy(Decimal("30.00"), 30, Decimal("100.00"), False), option_days=5, expired_option_days=3)


async def test_no_membership_and_an_unknown_organiser_are_told_apart():
    def stock(request: httpx.Request) -> httpx.Response:
        if str(ORGANISER) in request.url.path:
            return httpx.Response(200, json={
                "organiser_id": str(ORGANISER), "master_organiser_id": str(MASTER), "membership": None,
                "deposit": {"percent": "25", "late_threshold_days": 20, "late_percent": "50",
                            "other_means_when_late": True}})
        return httpx.Response(404, json={"code": "not_found"})

    directory = answering(lambda _: httpx.Response(404), stock)
    settings = await directory.commercial_settings(ORGANISER)
    unknown = await directory.commercial_settings(uuid.uuid4())
    await directory.close()
    assert settings is not None and settings.membership is None and settings.deposit.late_percent == 50
    assert unknown is None


async def test_the_client_type_flags_and_the_wallet_are_read_from_clients():
    def clients(request: httpx.Request) -> httpx.Response:
        if request.url.path == f"/client-types/{CLIENT_TYPE}":
            return httpx.Response(200, json={"id": str(CLIENT_TYPE), "name": "Mairie", "kind": "professional",
                                             "individual_membership_only": True,
                                             "no_membership_on_group_orders": False,
                                             "front_office_ordering_allowed": False})
        if request.url.path == f"/clients/{CLIENT}/wallet":
            assert request.url.params["limit"] == "200"
            return httpx.Response(200, json={"balance": "12.00", "next_cursor": "page2", "entries": [
                {"amount": "50.00", "order_id": None}, {"amount": "-20.00", "order_id": str(FIRST)}]})
        if request.url.path == f"/clients/{CLIENT}/wallet/entries" and request.url.params["cursor"] == "page2":
            return httpx.Response(200, json={"next_cursor": None, "items": [
                {"amount": "-18.00", "order_id": str(SECOND)}, {"amount": "0.50", "order_id": None}]})
        return httpx.Response(404, json={"code": "not_found"})

    directory = answering(clients, lambda _: httpx.Response(404))
    terms = await directory.client_type(CLIENT_TYPE)
    wallet = await directory.wallet(CLIENT)
    empty = await directory.wallet(uuid.uuid4())
    await directory.close()
    assert terms == ClientTypeTerms(individual_membership_only=True, no_membership_on_group_orders=False,
                                    front_office_ordering_allowed=False)
    assert wallet == Wallet(Decimal("12.00"), frozenset({FIRST, SECOND})) and empty == Wallet()


async def test_a_reseller_s_customer_is_a_client_linked_to_it_either_way_through_every_page_of_links():
    reseller, customer, linked_back, stranger = (uuid.uuid4() for _ in range(4))
    links = {str(reseller): [[str(uuid.uuid4())], [str(customer)]], str(linked_back): [[str(reseller)]],
             str(customer): [[]], str(stranger): [[]]}

    def clients(request: httpx.Request) -> httpx.Response:
        owner = request.url.path.removeprefix("/clients/").removesuffix("/links")
        if owner not in links:
            return httpx.Response(404, json={"code": "not_found"})
        pages = links[owner]
        page = int(request.url.params.get("cursor", "0"))
        return httpx.Response(200, json={"items": [{"linked_client_id": i} for i in pages[page]],
                                         "next_cursor": str(page + 1) if page + 1 < len(pages) else None})

    directory = answering(clients, lambda _: httpx.Response(404))
    assert await directory.linked(reseller, customer) and await directory.linked(customer, reseller)
    assert await directory.linked(reseller, linked_back)
    assert not await directory.linked(reseller, stranger) and not await directory.linked(reseller, uuid.uuid4())
    await directory.close()


async def test_the_departure_names_its_stay_s_organiser_and_the_client_its_kind_type_and_dispute():
    stay_id = uuid.uuid4()
    asked: list[str] = []

    def stock(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(200, json={"id": str(DEPARTURE), "stay_id": str(stay_id), "start_date": "2027-07-10",
                                         "end_date": "2027-07-24", "base_price": "850.00", "stay_title": "Aventure",
                                         "organiser_id": str(ORGANISER)})

    def clients(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={
            "id": str(CLIENT), "display_name": "Mairie de Lyon", "blocked": False, "disputed": True,
            "kind": "professional", "client_type_id": str(CLIENT_TYPE), "address_lines": [], "postal_code": None,
            "city": None, "country": "FR", "email": None, "participants": []})

    directory = answering(clients, stock)
    departure = await directory.departure(DEPARTURE)
    client = await directory.client(CLIENT)
    await directory.close()
    assert departure is not None and (departure.stay_id, departure.stay_title, departure.organiser_id) == (
        stay_id, "Aventure", ORGANISER)
    assert asked == [f"/departures/{DEPARTURE}"]  # the stay comes with the departure
    assert client is not None and (client.kind, client.client_type_id, client.disputed) == (
        "professional", CLIENT_TYPE, True)


async def test_the_stays_paperwork_and_cancellation_schedule_are_read_from_stock():
    stay_id = uuid.uuid4()

    def stock(request: httpx.Request) -> httpx.Response:
        if request.url.path == f"/departures/{DEPARTURE}":
            return httpx.Response(200, json={"id": str(DEPARTURE), "stay_id": str(stay_id)})
        return httpx.Response(200, json={
            "id": str(stay_id), "title": "Aventure", "required_documents": [{"code": "health_form",
                                                                              "label": "Fiche sanitaire"}],
            "cancellation_fees": [{"days_before": 30, "percent": "25.00"}, {"days_before": 7, "percent": "50.00"}]})

    directory = stock_answering(stock)
    terms = await directory.stay_terms(DEPARTURE)
    await directory.close()
    assert terms == StayTerms((RequiredDocument("health_form", "Fiche sanitaire"),),
                              (FeeTier(30, Decimal("25.00")), FeeTier(7, Decimal("50.00"))))


async def test_the_client_type_flag_is_read_from_clients():
    client_id, type_id = uuid.uuid4(), uuid.uuid4()

    def clients(request: httpx.Request) -> httpx.Response:
        if request.url.path == f"/clients/{client_id}":
            return httpx.Response(200, json={"id": str(client_id), "client_type_id": str(type_id)})
        return httpx.Response(200, json={"id": str(type_id), "documents_despite_incomplete_file": True})

    directory = HttpDirectory(httpx.AsyncClient(base_url="http://clients", transport=httpx.MockTransport(clients)),
                              httpx.AsyncClient(base_url="http://stock"))
    profile = await directory.client_profile(client_id)
    await directory.close()
    assert profile == ClientProfile(documents_despite_incomplete_file=True)
