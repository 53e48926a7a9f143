"""The full client record through the API: professional fields, client code, duplicates, notes."""
from shared import events
from shared.testing import BusSpy, auth

RESELLER = {
    "kind": "professional", "company_name": "Foyer des Tilleuls", "last_name": "Durand", "email": "compta@tilleuls.fr",
    "work_phone": "05.56.57.58.59", "fax": "05 56 57 58 60", "postal_code": "33000", "city": "Bordeaux",
    "siret": "732 829 320 00074", "siren": "732829320", "naf_code": "8790b", "vat_number": "FR44732829320",
    "vat_validated": True, "billing_excluding_tax": True, "accounting_code": "411TIL",
    "permanent_discount_rate": "5", "payment_terms": "30 jours fin de mois", "deferred_payment_allowed": True,
    "deferred_payment_terms": "Règlement à réception de la facture.", "credit_limit": "5000", "markup": "12.5",
    "all_offers": True, "sales_operator": "claire.op", "category": "Collectivités", "internal_code_1": "ABO-77",
    "info": "Préfère être appelé le matin. Groupe piscine en juillet.",
    "welcome_message": "Bienvenue ! Vos commandes sont facturées HT.",
}


async def create(clients, **fields):
    if fields.get("category"):
        assert (await clients.post("/categories", json={"name": fields["category"]})).status_code in (201, 409)
    response = await clients.post("/clients", json=fields)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_reseller_record_keeps_its_professional_terms_and_orders_can_read_them(clients, bus: BusSpy):
    client = await create(clients, **RESELLER)
    assert (client["siret"], client["naf_code"], client["vat_number"]) == ("73282932000074", "87.90B",
                                                                         "FR44732829320")
    assert (client["vat_validated"], client["vat_exempt"], client["tax_exempt"]) == (True, True, False)
    assert (client["markup"], client["permanent_discount_rate"], client["credit_limit"]) == ("12.50", "5.00",
                                                                                          "5000.00")
    assert client["client_code"].startswith("C") and client["referrer_id"] is None
    read = await clients.get(f"/clients/{client['id']}", headers=auth("service"))
    assert read.json() == client

    created = await bus.wait_for(events.ClientCreated, client_id=client["id"])
    assert (created.data["markup"], created.data["vat_validated"], created.data["client_code"]) == \
        ("12.50", True, client["client_code"])
    assert "info" not in created.data and "welcome_message" not in created.data


async def test_wrong_identifiers_and_reseller_terms_on_a_private_client_are_422_naming_the_fields(clients):
    response = await clients.post("/clients", json={**RESELLER, "siret": "73282932000075", "naf_code": "ZZ",
                                                    "vat_number": "FR45732829320"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"body.siret", "body.naf_code", "body.vat_number"}
    private = await clients.post("/clients", json={"kind": "private", "last_name": "Martin", "markup": "10",
                                                   "permanent_discount_rate": "120", "credit_limit": "-1"})
    assert {e["field"] for e in private.json()["errors"]} == {"body.permanent_discount_rate", "body.credit_limit"}
    private = await clients.post("/clients", json={"kind": "private", "last_name": "Martin", "markup": "10",
                                                   "birth_date": "2999-01-01"})
    assert {e["field"] for e in private.json()["errors"]} == {"body.markup", "body.birth_date"}


async def test_client_codes_are_given_in_sequence_unique_and_replaceable_by_a_barcode(clients):
    first = await create(clients, kind="private", last_name="Martin")
    second = await create(clients, kind="private", last_name="Petit")
    assert int(second["client_code"][1:]) > int(first["client_code"][1:])
    badge = await clients.patch(f"/clients/{first['id']}", json={"client_code": "3760123456789"})
    assert badge.status_code == 200 and badge.json()["client_code"] == "3760123456789"
    taken = await clients.patch(f"/clients/{second['id']}", json={"client_code": "3760123456789"})
    assert taken.status_code == 409 and taken.json()["code"] == "client_code_taken"
    again = await clients.post("/clients", json={"kind": "private", "last_name": "Roux", "client_code": "3760123456789"})
    assert again.status_code == 409
    assert (await clients.patch(f"/clients/{second['id']}", json={"client_code": None})).status_code == 422
    found = (await clients.get("/clients", params={"q": "3760123456789"})).json()["items"]
    assert [c["id"] for c in found] == [first["id"]]


async def test_likely_duplicates_are_found_by_name_and_postal_code_email_phone_or_code(clients):
    martin = await create(clients, kind="private", last_name="Martin", first_name="Claire", postal_code="69003",
                          email="claire@example.org", mobile="06 12 34 56 78")
    await create(clients, kind="private", last_name="Martin", postal_code="75011")

    async def reasons(**probe):
        response = await clients.get("/clients/duplicates", params=probe)
        assert response.status_code == 200, response.text
        return {item["client"]["id"]: item["reasons"] for item in response.json()["items"]}

    assert await reasons(name="MARTÍN", postal_code="69003") == {martin["id"]: ["name_and_postal_code"]}
    assert await reasons(email="Claire@Example.org", phone="+33 6 12 34 56 78") == {martin["id"]: ["email", "phone"]}
    assert await reasons(phone="0612345678", exclude_id=martin["id"]) == {}
    assert await reasons(phone="061234") == {}
    assert await reasons(client_code=martin["client_code"].lower()) == {martin["id"]: ["client_code"]}
    assert await reasons() == {}


async def test_notes_are_searched_by_keywords_apart_from_the_identity(clients):
    client = await create(clients, **RESELLER)
    await create(clients, kind="private", last_name="Piscine")
    found = (await clients.get("/clients", params={"keywords": "PISCINE juillet"})).json()["items"]
    assert [c["id"] for c in found] == [client["id"]]
    assert (await clients.get("/clients", params={"keywords": "piscine hiver"})).json()["items"] == []
    by_name = (await clients.get("/clients", params={"q": "piscine"})).json()["items"]
    assert [c["last_name"] for c in by_name] == ["Piscine"]
    changed = await clients.patch(f"/clients/{client['id']}", json={"info": "Relancer en septembre."})
    assert changed.status_code == 200
    assert (await clients.get("/clients", params={"keywords": "piscine"})).json()["items"] == []
    assert len((await clients.get("/clients", params={"keywords": "septemb", "category": "Collectivités"}))
               .json()["items"]) == 1
