"""A family's record across the services: its e-mails reach whom it chose; staff give it an account at identity,
whose link lets it choose its password and log in."""
import re
from urllib.parse import unquote

import pytest

from shared.testing import eventually

pytestmark = pytest.mark.e2e


async def mail_to(smtp, recipient, subject):
    async def arrived():
        return next((r for r in smtp.to(recipient) if r.message["Subject"].startswith(subject)), None)

    return await eventually(arrived, timeout=30)


async def test_mail_goes_to_the_chosen_recipients_and_a_reset_link_lets_the_client_in(platform):
    clients, stock, orders, smtp = platform.client("clients"), platform.client("stock"), platform.client("orders"), \
        platform.smtp
    family = (await clients.post("/clients", json={
        "kind": "private", "last_name": "Lambert", "first_name": "Julie", "email": "julie.lambert@example.fr",
        "recipient_preference": "both"})).json()
    guardian = await clients.post(f"/clients/{family['id']}/legal-guardians", json={
        "last_name": "Lambert", "first_name": "Marc", "email": "marc.lambert@example.fr"})
    contact = await clients.post(f"/clients/{family['id']}/contacts", json={
        "last_name": "Roux", "first_name": "Inès", "email": "ines.roux@ce-exemple.fr"})
    child = await clients.post(f"/clients/{family['id']}/participants", json={
        "last_name": "Lambert", "first_name": "Tom", "birth_date": "2015-09-01"})
    assert {r.status_code for r in (guardian, contact, child)} == {201}

    stay = (await stock.post("/stays", json={"title": "Mer et voile"})).json()
    departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-08-02", "end_date": "2027-08-14", "capacity": 5, "base_price": "700.00"})).json()
    order = await orders.post("/orders", json={"client_id": family["id"], "departure_id": departure["id"],
                                               "participants": [{"participant_id": child.json()["id"]}]})
    assert order.status_code == 201, order.text

    option = await mail_to(smtp, "marc.lambert@example.fr", "Votre option")
    assert option.message["To"] == "julie.lambert@example.fr, marc.lambert@example.fr"
    assert option.message["Cc"] == "ines.roux@ce-exemple.fr"

    identity = platform.client("identity")

    async def given():  # once identity has heard of the client
        response = await identity.post("/accounts", json={"client_id": family["id"]})
        return response if response.status_code == 201 else None

    await eventually(given)
    opened = await mail_to(smtp, "julie.lambert@example.fr", "Votre espace client est ouvert")
    assert opened.rcpt_tos == ["julie.lambert@example.fr"]
    token = unquote(re.search(r"jeton=([\w\-%]+)", opened.message.get_body(("plain",)).get_content())[1])
    chosen = await identity.post("/password-resets", json={"token": token, "password": "vacances-a-la-mer"})
    assert chosen.status_code == 204, chosen.text
    login = await identity.post("/token", data={"grant_type": "password", "username": "julie.lambert@example.fr",
                                                "password": "vacances-a-la-mer"})
    assert login.status_code == 200, login.text
