"""The front office in orders: a family books for itself and gives up its option, follows its own orders; a reseller
books for its customers and sees its sales and what it owes. The same booking, pricing and lifecycle as staff's."""
import uuid
from datetime import timedelta
from decimal import Decimal

from orders.domain.cancellation import FeeTier
from orders.domain.membership import Policy, Year
from orders.gateways import RequiredDocument, StayTerms
from shared import events
from shared.testing import BusSpy, auth, eventually

from .test_documents import PDF

STAFF_ONLY_FIELDS = ("client_disputed", "group_order", "version", "option_days", "expired_option_days")


def family_of(client) -> dict[str, str]:
    return auth("client", sub=f"famille-{client.id}", client_id=str(client.id))


def organised(directory):
    """A departure whose organiser charges membership (15 € individual, 20 € family) and a 30 % deposit."""
    departure = directory.add_departure()
    scope = uuid.uuid4()
    directory.organise(departure, Policy(scope, "Les Colos du Rhône", Decimal("15.00"), Decimal("20.00"),
                                         Year.CALENDAR))
    return directory.departures[departure.id]


async def hold(orders, bus: BusSpy, order: dict, places: int = 1) -> None:
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"], places=places),
                      order["id"])

    async def optioned() -> bool:
        return (await orders.get(f"/orders/{order['id']}")).json()["status"] == "option"

    await eventually(optioned)


async def test_a_family_books_for_itself_as_staff_would_and_sees_its_option_and_deposit(
        orders, directory, bus: BusSpy, clock):
    departure = organised(directory)
    family, neighbours = directory.add_family(2), directory.add_family(2)
    online = await orders.post("/orders", headers=family_of(family), json={
        "departure_id": str(departure.id), "participant_ids": [str(p) for p in family.participants],
        "consents": {"newsletter": True, "partner_offers": False}})
    assert online.status_code == 201, online.text
    order = online.json()
    by_staff = (await orders.post("/orders", json={
        "client_id": str(neighbours.id), "departure_id": str(departure.id),
        "participant_ids": [str(p) for p in neighbours.participants]})).json()

    assert order["client_id"] == str(family.id) and order["status"] == "pending"
    assert order["summary"] == by_staff["summary"] and order["total"] == "1720.00"  # 2 × 850 € + family membership
    assert order["deposit"]["amount"] == by_staff["deposit"]["amount"] == "516.00"  # 30 %
    assert not set(STAFF_ONLY_FIELDS) & set(order)
    placed = await bus.wait_for(events.OrderPlaced, order_id=order["id"])
    assert placed.data["places"] == 2 and placed.data["consents"]["recorded_by"] == f"famille-{family.id}"

    await hold(orders, bus, order, places=2)
    seen = (await orders.get(f"/orders/{order['id']}", headers=family_of(family))).json()
    assert seen["status"] == "option" and seen["balance"] == "1720.00" and seen["payments"] == []
    assert seen["option_expires_at"].startswith((clock.now() + timedelta(days=7)).date().isoformat())
    assert seen["deposit"]["due_by"] == seen["option_expires_at"]
    placed_line = (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"][0]
    assert placed_line["detail"] == "Commande créée en ligne pour 2 participant(s), 1720.00 €."
    assert placed_line["actor"] == f"famille-{family.id}"


async def test_a_family_books_only_for_its_own_client_and_participants_at_stock_s_prices(orders, directory):
    departure, family, other = directory.add_departure(), directory.add_family(), directory.add_family()
    own = [str(p) for p in family.participants]
    token = family_of(family)

    async def book(**body):
        return await orders.post("/orders", headers=token, json={"departure_id": str(departure.id),
                                                                 "participant_ids": own, **body})

    for_other = await book(client_id=str(other.id), participant_ids=[str(p) for p in other.participants])
    for_nobody = await book(client_id=str(uuid.uuid4()))
    assert for_other.status_code == for_nobody.status_code == 422
    assert for_other.json()["code"] == for_nobody.json()["code"] == "unknown_client"  # the other is not confirmed
    stolen_child = await book(participant_ids=[str(p) for p in other.participants])
    assert stolen_child.status_code == 422 and stolen_child.json()["code"] == "unknown_participant"
    for field, value in (("cash_discount", "100.00"), ("add_ons", [{"label": "Remise", "amount": "0.00"}]),
                         ("siblings_reduction", "50.00"), ("referral_reduction", "20.00"),
                         ("reseller_id", str(uuid.uuid4()))):
        refused = await book(**{field: value})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == f"body.{field}", refused.text
    assert (await book(client_id=str(family.id))).status_code == 201
    guardian = auth("legal_guardian", client_id=str(family.id))
    assert (await orders.post("/orders", headers=guardian, json={
        "departure_id": str(departure.id), "participant_ids": own})).status_code == 403
    staff_without_client = await orders.post("/orders", json={"departure_id": str(departure.id),
                                                              "participant_ids": own})
    assert staff_without_client.status_code == 422
    assert staff_without_client.json()["errors"][0]["field"] == "body.client_id"


async def test_a_client_type_without_online_ordering_sends_the_family_to_customer_service(orders, directory):
    departure = directory.add_departure()
    family = directory.of_type(directory.add_family(), ordering_online=False)
    body = {"departure_id": str(departure.id), "participant_ids": [str(p) for p in family.participants]}
    refused = await orders.post("/orders", headers=family_of(family), json=body)
    assert refused.status_code == 403 and refused.json()["code"] == "front_office_ordering_forbidden"
    assert refused.json()["detail"] == ("La commande en ligne n'est pas ouverte pour votre compte : "
                                        "contactez notre service client pour réserver.")
    assert (await orders.get("/orders", headers=family_of(family))).json()["items"] == []
    assert (await orders.post("/orders", json={**body, "client_id": str(family.id)})).status_code == 201

    blocked = directory.add_family(blocked=True)
    answer = await orders.post("/orders", headers=family_of(blocked), json={
        "departure_id": str(departure.id), "participant_ids": [str(p) for p in blocked.participants]})
    assert answer.status_code == 409 and answer.json()["code"] == "client_blocked"


async def test_a_family_gives_up_its_option_which_frees_its_places_but_not_a_validated_order(
        orders, directory, bus: BusSpy):
    departure, family = directory.add_departure(), directory.add_family()
    body = {"departure_id": str(departure.id), "participant_ids": [str(p) for p in family.participants]}
    first = (await orders.post("/orders", headers=family_of(family), json=body)).json()
    second = (await orders.post("/orders", headers=family_of(family), json=body)).json()
    for order in (first, second):
        await hold(orders, bus, order)

    stranger = auth("client", client_id=str(directory.add_family().id))
    assert (await orders.post(f"/orders/{first['id']}/archive", headers=stranger)).status_code == 404
    guardian = auth("legal_guardian", client_id=str(family.id))
    assert (await orders.post(f"/orders/{first['id']}/archive", headers=guardian)).status_code == 403
    given_up = await orders.post(f"/orders/{first['id']}/archive", headers=family_of(family))
    assert given_up.status_code == 200 and given_up.json()["status"] == "archived", given_up.text
    archived = await bus.wait_for(events.OrderArchived, order_id=first["id"])
    assert archived.data["places"] == 1  # stock frees the place held, as for every option that ends
    line = (await orders.get(f"/orders/{first['id']}/workflow")).json()["items"][-1]
    assert line["detail"] == "Option annulée en ligne par le client Mme MARTIN Claire : places libérées."
    assert line["actor"] == f"famille-{family.id}"

    await orders.post(f"/orders/{second['id']}/payments", json={"amount": "255.00", "method": "cheque"})
    refused = await orders.post(f"/orders/{second['id']}/archive", headers=family_of(family))
    assert refused.status_code == 409 and refused.json()["code"] == "cancellation_by_operator_only"
    assert "contactez notre service client" in refused.json()["detail"]
    cancelled = await orders.post(f"/orders/{second['id']}/cancellation", headers=family_of(family),
                                  json={"by": "client", "reason": "Enfant malade"})
    assert cancelled.status_code == 403


async def test_a_family_follows_its_own_orders_without_what_is_internal(orders, directory, bus: BusSpy):
    departure, other_departure = directory.add_departure(), directory.add_departure()
    family = directory.dispute(directory.add_family())
    neighbours = directory.add_family()
    token = family_of(family)
    order = (await orders.post("/orders", headers=token, json={
        "departure_id": str(departure.id), "participant_ids": [str(p) for p in family.participants]})).json()
    theirs = (await orders.post("/orders", json={
        "client_id": str(neighbours.id), "departure_id": str(other_departure.id),
        "participant_ids": [str(p) for p in neighbours.participants]})).json()
    await hold(orders, bus, order)
    await orders.post(f"/orders/{order['id']}/payments", json={
        "amount": "300.00", "method": "cheque", "label": "Mme Martin", "bank": "La Banque Postale",
        "note": "Chèque déposé à l'accueil par le père, vérifier la signature"})
    await orders.post(f"/orders/{order['id']}/notes", json={"text": "Famille en litige : prudence."})

    listed = (await orders.get("/orders", headers=token)).json()["items"]
    assert [o["id"] for o in listed] == [order["id"]]
    assert (await orders.get(f"/orders?client_id={neighbours.id}", headers=token)).json()["items"] == []
    detail = (await orders.get(f"/orders/{order['id']}", headers=token)).json()
    assert (detail["status"], detail["balance"], detail["amount_paid"]) == ("validated", "550.00", "300.00")
    assert detail["payments"] == [{"amount": "300.00", "method": "cheque", "deferred": False,
                                   "collection": "received", "received_on": "2027-03-01",
                                   "received_at": detail["payments"][0]["received_at"]}]
    assert not set(STAFF_ONLY_FIELDS) & set(detail) and not set(STAFF_ONLY_FIELDS) & set(listed[0])
    assert (await orders.get(f"/orders/{order['id']}")).json()["client_disputed"] is True  # staff still see it
    for path in (f"/orders/{order['id']}/notes", f"/orders/{order['id']}/workflow",
                 f"/orders/{order['id']}/settlement", f"/orders/{order['id']}/payments"):
        assert (await orders.get(path, headers=token)).status_code == 403, path
    assert (await orders.get(f"/orders/{theirs['id']}", headers=token)).status_code == 404


async def test_a_family_provides_its_paperwork_and_reads_its_travel_pack_and_order_pdf(orders, directory, bus):
    departure, family = directory.add_departure(), directory.add_family()
    directory.terms[departure.id] = StayTerms(required_documents=(RequiredDocument("health_form", "Fiche sanitaire"),))
    token = family_of(family)
    order = (await orders.post("/orders", headers=token, json={
        "departure_id": str(departure.id), "participant_ids": [str(p) for p in family.participants]})).json()
    await hold(orders, bus, order)
    url = f"/orders/{order['id']}"

    checklist = (await orders.get(f"{url}/checklist", headers=token)).json()
    assert checklist == {"file_complete": False, "items": [{"code": "health_form", "label": "Fiche sanitaire",
                                                             "status": "missing"}]}
    too_big = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)
    refused = await orders.post(f"{url}/documents", headers=token, data={"code": "health_form"},
                                files={"file": ("fiche.pdf", too_big, "application/pdf")})
    assert refused.status_code == 413 and refused.json()["code"] == "file_too_large"
    uploaded = await orders.post(f"{url}/documents", headers=token, data={"code": "health_form", "checked": "true"},
                                 files={"file": ("fiche.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 201 and uploaded.json()["status"] == "to_check"  # an operator checks it
    await orders.post(f"{url}/documents/{uploaded.json()['id']}/check")
    assert (await orders.get(f"{url}/checklist", headers=token)).json()["file_complete"] is True

    pack = await orders.post(f"/departures/{departure.id}/travel-packs", data={"title": "Convocation"},
                             files={"file": ("c.pdf", PDF, "application/pdf")})
    waiting = (await orders.get(f"{url}/travel-pack", headers=token)).json()
    assert waiting["available"] is False and waiting["amount_due"] == "850.00"
    denied = await orders.get(f"{url}/travel-packs/{pack.json()['id']}/content", headers=token)
    assert denied.status_code == 409 and denied.json()["code"] == "travel_pack_unavailable"
    await orders.post(f"{url}/payments", json={"amount": "850.00", "method": "transfer"})
    assert (await orders.get(f"{url}/travel-pack", headers=token)).json()["available"] is True
    got = await orders.get(f"{url}/travel-packs/{pack.json()['id']}/content", headers=token)
    assert got.status_code == 200 and got.content == PDF

    async def rendered() -> dict | None:
        versions = (await orders.get(f"{url}/pdfs", headers=token)).json()["items"]
        return versions[0] if versions and versions[0]["rendered_at"] else None

    version = await eventually(rendered)
    pdf = await orders.get(f"{url}/pdfs/{version['number']}", headers=token)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_a_reseller_books_for_its_linked_customers_and_sees_its_sales_and_what_it_owes(
        orders, directory, bus: BusSpy):
    assigned, other = directory.add_departure(), directory.add_departure()
    reseller = directory.add_reseller(directory.add_professional(1), assigned, markup="10")
    customer, stranger = directory.add_family(), directory.add_family()
    directory.link(customer, reseller)
    token = auth("reseller", sub="agence@test", client_id=str(reseller.id))

    async def book(client, departure=assigned):
        return await orders.post("/orders", headers=token, json={
            "client_id": str(client.id), "departure_id": str(departure.id),
            "participant_ids": [str(p) for p in client.participants]})

    sold = await book(customer)
    assert sold.status_code == 201, sold.text
    assert (sold.json()["client_id"], sold.json()["reseller_id"]) == (str(customer.id), str(reseller.id))
    assert sold.json()["total"] == "935.00"  # stock's price with the reseller's markup
    assert (await bus.wait_for(events.OrderPlaced, order_id=sold.json()["id"])).data["reseller_id"] == str(reseller.id)
    refused = await book(stranger)
    assert refused.status_code == 422 and refused.json()["code"] == "unknown_client"
    not_assigned = await book(customer, other)
    assert not_assigned.status_code == 409 and not_assigned.json()["code"] == "departure_not_assigned"
    own = await orders.post("/orders", headers=token, json={
        "departure_id": str(assigned.id), "participant_ids": [str(p) for p in reseller.participants]})
    assert own.status_code == 201 and own.json()["client_id"] == own.json()["reseller_id"] == str(reseller.id)
    elsewhere = (await orders.post("/orders", json={
        "client_id": str(stranger.id), "departure_id": str(other.id),
        "participant_ids": [str(p) for p in stranger.participants]})).json()

    for order in (sold.json(), own.json()):
        await hold(orders, bus, order)
    await orders.post(f"/orders/{sold.json()['id']}/payments", json={"amount": "300.00", "method": "transfer"})
    sales = (await orders.get("/orders", headers=token)).json()["items"]
    assert {o["id"] for o in sales} == {sold.json()["id"], own.json()["id"]}
    assert not set(STAFF_ONLY_FIELDS) & set(sales[0])
    assert (await orders.get(f"/orders/{elsewhere['id']}", headers=token)).status_code == 404
    assert (await orders.get(f"/orders/{sold.json()['id']}/documents", headers=token)).status_code == 403

    account = (await orders.get(f"/reseller-accounts/{reseller.id}", headers=token)).json()
    assert account["owed"] == "1570.00" and account["sales"] == 2  # 935 − 300 + 935
    assert {(s["reference"], s["total"], s["amount_paid"], s["owed"]) for s in account["items"]} == {
        (sold.json()["reference"], "935.00", "300.00", "635.00"), (own.json()["reference"], "935.00", "0.00", "935.00")}
    given_up = await orders.post(f"/orders/{own.json()['id']}/archive", headers=token)
    assert given_up.status_code == 200, given_up.text
    assert (await orders.get(f"/reseller-accounts/{reseller.id}", headers=token)).json()["owed"] == "635.00"
    assert (await orders.get(f"/reseller-accounts/{reseller.id}")).json()["owed"] == "635.00"  # staff read it
    directory.terms[assigned.id] = StayTerms(cancellation_fees=(FeeTier(365, Decimal("50")),))
    cancelled = await orders.post(f"/orders/{sold.json()['id']}/cancellation",
                                  json={"by": "client", "reason": "Séjour annulé par le comité"})
    assert cancelled.json()["cancellation"]["fees"] == "467.50"
    account = (await orders.get(f"/reseller-accounts/{reseller.id}", headers=token)).json()
    assert account["owed"] == "167.50"  # the fees less the 300 € received
    other_reseller = auth("reseller", client_id=str(uuid.uuid4()))
    assert (await orders.get(f"/reseller-accounts/{reseller.id}", headers=other_reseller)).status_code == 404
    assert (await orders.get(f"/reseller-accounts/{reseller.id}", headers=family_of(customer))).status_code == 403


async def test_a_reseller_type_without_online_ordering_cannot_book_even_for_its_customers(orders, directory):
    departure = directory.add_departure()
    reseller = directory.of_type(directory.add_reseller(directory.add_professional(0), departure), False)
    customer = directory.add_family()
    directory.link(reseller, customer)
    refused = await orders.post("/orders", headers=auth("reseller", client_id=str(reseller.id)), json={
        "client_id": str(customer.id), "departure_id": str(departure.id),
        "participant_ids": [str(p) for p in customer.participants]})
    assert refused.status_code == 403 and refused.json()["code"] == "front_office_ordering_forbidden"
