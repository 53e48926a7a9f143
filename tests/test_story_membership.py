"""README's walk-through, step by step through the five services: an organiser charging membership, a stay with an
add-on product, a family with two children and a guardian, a promo code, the order, two payments, settled."""
import pytest

from .test_story import until

pytestmark = pytest.mark.e2e


async def test_a_booking_with_a_membership_a_promo_code_and_two_payments(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")

    # 1. Membership managed per organiser (seed 004); "Les Colos du Rhône" charges 15 € individual, 20 € family.
    master = next(o for o in (await stock.get("/organisers")).json()["items"] if o["is_master"])
    changed = await stock.patch(f"/organisers/{master['id']}/settings", json={
        "membership_enabled": True, "membership_managed_by": "organiser", "membership_year": "calendar"})
    assert changed.status_code == 200, changed.text
    organiser = await stock.post("/organisers", json={"name": "Les Colos du Rhône", "individual_fee": "15.00",
                                                      "family_fee": "20.00"})
    assert organiser.status_code == 201, organiser.text
    rhone = organiser.json()["id"]
    settings = (await stock.get(f"/organisers/{rhone}/commercial-settings")).json()
    assert settings["membership"]["individual_fee"] == "15.00" and settings["option_days"] == 7

    # 2. Its stay, one departure, an optional add-on product.
    stay = (await stock.post("/stays", json={"title": "Mer et voile à Sète", "organiser_id": rhone})).json()
    departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-07-10", "end_date": "2027-07-24", "capacity": 20, "base_price": "850.00"})).json()
    insurance = (await stock.post(f"/departures/{departure['id']}/add-ons", json={
        "label": "Assurance annulation", "price": "35.00"})).json()

    # 3. A family with two children and a second legal guardian.
    family = (await clients.post("/clients", json={
        "kind": "private", "civility": "Mme", "last_name": "Lefèvre", "first_name": "Claire",
        "email": "claire.lefevre@example.fr", "address_lines": ["3 rue des Lilas"], "postal_code": "69003",
        "city": "Lyon"})).json()
    lea, tom = [(await clients.post(f"/clients/{family['id']}/participants", json={
        "last_name": "Lefèvre", "first_name": name, "birth_date": born})).json()["id"]
        for name, born in (("Léa", "2016-05-02"), ("Tom", "2018-09-14"))]
    paul = (await clients.post(f"/clients/{family['id']}/legal-guardians", json={
        "civility": "M.", "last_name": "Lefèvre", "first_name": "Paul"})).json()["id"]

    # 4. A promo code of 50 €.
    code = await orders.post("/promo-codes", json={"code": "SETE27", "kind": "amount", "value": "50.00",
                                                   "max_uses": 100})
    assert code.status_code == 201, code.text

    # 5. The order: both children, the insurance, the code; the family fee once; an option once stock holds.
    placed = await orders.post("/orders", json={
        "client_id": family["id"], "departure_id": departure["id"], "promo_code": "SETE27",
        "add_on_ids": [insurance["id"]],
        "participants": [{"participant_id": lea}, {"participant_id": tom, "legal_guardian_id": paul}]})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["summary"] == {"package": "1700.00", "add_ons": "70.00", "cash_discount": "0.00",
                                "reductions": "-50.00", "membership": "20.00", "total": "1740.00"}
    assert order["deposit"]["amount"] == "522.00"
    assert [(line["kind"], line["label"], line["amount"]) for line in order["lines"]][-2:] == [
        ("promo_code", "Code promo SETE27", "-50.00"), ("membership", "Adhésion familiale Les Colos du Rhône", "20.00")]
    await until(orders, f"/orders/{order['id']}", lambda o: o["status"] == "option")

    # 6. The deposit by card validates the order; the rest by cheque, from Tom's guardian, settles it.
    deposit = await orders.post(f"/orders/{order['id']}/payments", json={
        "amount": "522.00", "method": "card", "label": "Mme Lefèvre"})
    assert deposit.status_code == 201, deposit.text
    await until(orders, f"/orders/{order['id']}", lambda o: o["status"] == "validated")
    cheque = await orders.post(f"/orders/{order['id']}/payments", json={
        "amount": "1218.00", "method": "cheque", "label": "M. Lefèvre", "bank": "La Banque Postale",
        "participant_id": tom})
    assert cheque.status_code == 201, cheque.text

    # 7. Settled: nothing due from anyone; Tom's share was paid by Paul, whose cheque also covers what the card
    # left of Léa's. The code's 50.00 is shared out: Léa's 905.00 and Tom's 885.00 become 879.72 and 860.28.
    settlement = (await orders.get(f"/orders/{order['id']}/settlement")).json()
    assert settlement["settled"] and settlement["balance"] == "0.00"
    shares = {s["first_name"]: (s["legal_guardian_name"], s["share"], s["paid"], s["balance"])
              for s in settlement["shares"]}
    assert shares == {"Léa": (None, "879.72", "879.72", "0.00"),
                      "Tom": ("Paul Lefèvre", "860.28", "860.28", "0.00")}
    settled = await until(orders, f"/orders/{order['id']}", lambda o: o["settled"])
    assert settled["balance"] == "0.00" and settled["status"] == "validated"
    workflow = [e["action"] for e in (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]]
    assert workflow[:2] == ["placed", "optioned"] and "settled" in workflow
    charges = (await orders.get("/membership-charges", params={"client_id": family["id"]})).json()["items"]
    assert [(c["kind"], c["amount"]) for c in charges] == [("family", "20.00")]
    assert (await stock.get(f"/departures/{departure['id']}")).json()["stock"]["confirmed"] == 2
