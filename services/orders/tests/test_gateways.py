"""How orders reads stock's pricing query and stay terms, the client's profile, and what stock does not know."""
import uuid
from decimal import Decimal

import httpx
import pytest

from orders.domain.cancellation import FeeTier
from orders.domain.pricing import Extra, ParticipantPrice, Transport
from orders.gateways import ClientProfile, HttpDirectory, RequiredDocument, StayTerms
from shared.problems import Problem

DEPARTURE, LYON, TOULOUSE, RIDING = (uuid.uuid4() for _ in range(4))


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
            "extras": [{"id": str(RIDING), "label": "Équitation", "price": "120.00"}]})

    directory = stock_answering(pricing)
    price = await directory.price(DEPARTURE, LYON, TOULOUSE, (RIDING,))
    await directory.close()
    assert seen[0].path == f"/departures/{DEPARTURE}/pricing"
    assert dict(seen[0].params) == {"outbound_city": str(LYON), "return_city": str(TOULOUSE), "extras": str(RIDING)}
    assert price == ParticipantPrice(850, Transport("Lyon", "Toulouse", 42), (Extra("Équitation", 120),))


async def test_a_city_or_extra_stock_does_not_know_is_a_422_naming_it():
    directory = stock_answering(lambda _: httpx.Response(404, json={
        "code": "not_found", "detail": f"No city of this departure with id {LYON}."}))
    with pytest.raises(Problem) as refused:
        await directory.price(DEPARTURE, LYON, None, ())
    await directory.close()
    assert refused.value.status == 422 and refused.value.code == "unknown_departure_choice"
    assert f"No city of this departure with id {LYON}." in refused.value.detail


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


async def test_the_client_type_flag_and_guardians_addresses_are_read_from_clients():
    client_id, type_id = uuid.uuid4(), uuid.uuid4()

    def clients(request: httpx.Request) -> httpx.Response:
        if request.url.path == f"/clients/{client_id}":
            return httpx.Response(200, json={"id": str(client_id), "client_type_id": str(type_id), "legal_guardians": [
                {"email": "pere@example.fr"}, {"email": None}, {"email": "pere@example.fr"}]})
        return httpx.Response(200, json={"id": str(type_id), "documents_despite_incomplete_file": True})

    directory = HttpDirectory(httpx.AsyncClient(base_url="http://clients", transport=httpx.MockTransport(clients)),
                              httpx.AsyncClient(base_url="http://stock"))
    profile = await directory.client_profile(client_id)
    await directory.close()
    assert profile == ClientProfile(documents_despite_incomplete_file=True, guardian_emails=("pere@example.fr",))
