"""Orders priced through the API: membership from the history, reductions, cashback, deposit, client flags."""
import asyncio
import contextlib
import uuid
from decimal import Decimal

from orders.domain.deposit import DepositPolicy
from orders.domain.membership import Policy, Year
from shared import events
from shared.testing import BusSpy, eventually


def policy(family: str | None = "20.00", year=Year.CALENDAR) -> Policy:
    return Policy(uuid.uuid4(), "Les Colos du Rhône", Decimal("15.00"), Decimal(family) if family else None, year)


async def book(orders, client, departure, participants, **extra):
    response = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id),
        "participant_ids": [str(p) for p in participants], **extra})
    return response


async def validated(orders, bus: BusSpy, order):
    """Stock holds the places, then a payment of the whole total validates the order."""
    await bus.publish(events.HoldConfirmed(order_id=order["id"], departure_id=order["departure_id"],
                                           places=len(order["participants"])), order["id"])
    await eventually(lambda: _status_is(orders, order["id"], "option"))
    paid = await orders.post(f"/orders/{order['id']}/payments", json={"amount": order["total"], "method": "card"})
    assert paid.status_code == 201, paid.text


async def _status_is(orders, order_id, status):
    return (await orders.get(f"/orders/{order_id}")).json()["status"] == status


def membership_lines(order):
    return [(line["label"], line["amount"]) for line in order["lines"] if line["kind"] == "membership"]


async def test_seed_004_example_3_the_second_child_pays_the_family_difference_once_the_first_is_validated(
        orders, directory, bus: BusSpy):
    client = directory.add_family(children=2)
    lea, tom = client.participants
    departure = directory.add_departure()
    membership = policy()
    directory.organise(departure, membership)
    first = (await book(orders, client, departure, [lea])).json()
    assert membership_lines(first) == [("Adhésion individuelle Les Colos du Rhône", "15.00")]
    assert first["summary"] == {"package": "850.00", "add_ons": "0.00", "cash_discount": "0.00",
                                "reductions": "0.00", "membership": "15.00", "total": "865.00"}

    unpaid = (await book(orders, client, departure, [tom])).json()
    assert membership_lines(unpaid) == [("Adhésion individuelle Les Colos du Rhône", "15.00")]

    await validated(orders, bus, first)
    second = (await book(orders, client, departure, [tom])).json()
    assert membership_lines(second) == [
        ("Adhésion familiale Les Colos du Rhône (différence avec les 15.00 € déjà réglés)", "5.00")]
    assert second["total"] == "855.00"

    history = (await orders.get("/membership-charges", params={"client_id": str(client.id)})).json()["items"]
    assert sorted((h["order_reference"], h["kind"], h["amount"], h["order_status"], h["counts"]) for h in history) == [
        (first["reference"], "individual", "15.00", "validated", True),
        (unpaid["reference"], "individual", "15.00", "pending", False),
        (second["reference"], "family", "5.00", "pending", False)]
    assert {h["cycle_end"] for h in history} == {"2027-12-31"}
    assert {h["scope_id"] for h in history} == {str(membership.scope_id)}

    third = (await book(orders, client, departure, [lea])).json()
    assert membership_lines(third) == []
    assert third["membership_note"] == ("Adhésion déjà réglée auprès de Les Colos du Rhône : "
                                        "votre adhésion est valable jusqu'au 31/12/2027.")


async def test_seed_004_example_2_two_children_in_one_order_pay_the_family_fee(orders, directory):
    client = directory.add_family(children=2)
    departure = directory.add_departure()
    directory.organise(departure, policy())
    order = (await book(orders, client, departure, list(client.participants))).json()
    assert membership_lines(order) == [("Adhésion familiale Les Colos du Rhône", "20.00")]
    assert order["total"] == "1720.00" == str(sum(Decimal(line["amount"]) for line in order["lines"]))


async def test_group_orders_follow_the_client_type_membership_flags(orders, directory):
    departure = directory.add_departure()
    directory.organise(departure, policy())
    town_hall = directory.add_professional(children=3, individual_only=True)
    order = (await book(orders, town_hall, departure, list(town_hall.participants))).json()
    assert order["group_order"] is True
    assert [amount for _, amount in membership_lines(order)] == ["15.00"] * 3
    without = directory.add_professional(children=3, no_group_membership=True)
    order = (await book(orders, without, departure, list(without.participants))).json()
    assert membership_lines(order) == [] and order["total"] == "2550.00"


async def test_reductions_add_ons_and_the_deposit_make_the_summary(orders, directory, bus: BusSpy):
    client = directory.add_family(children=1)
    directory.wallets[client.id] = Decimal("12.00")
    departure = directory.add_departure()
    directory.organise(departure)
    order = (await book(orders, client, departure, list(client.participants),
                        add_ons=[{"label": "Assurance annulation", "amount": "35.00"}], cash_discount="20.00",
                        cashback="12.00", siblings_reduction="30.00", referral_reduction="10.00")).json()
    assert [(line["kind"], line["amount"], line["participant_id"]) for line in order["lines"][1:]] == [
        ("add_on", "35.00", None), ("cash_discount", "-20.00", None), ("siblings", "-30.00", None),
        ("referral", "-10.00", None), ("cashback", "-12.00", None)]
    assert order["summary"] == {"package": "850.00", "add_ons": "35.00", "cash_discount": "-20.00",
                                "reductions": "-52.00", "membership": "0.00", "total": "813.00"}
    assert order["deposit"] == {"percent": "30.00", "amount": "243.90", "late": False,
                                "front_office_means": ["card", "other"], "due_by": None}  # pending: no option yet
    used = await bus.wait_for(events.CashbackUsed, order_id=order["id"])
    assert used.data["amount"] == "12.00" and used.data["client_id"] == str(client.id)


async def test_a_late_booking_asks_the_late_deposit_and_card_only(orders, directory):
    client = directory.add_family()
    departure = directory.add_departure()  # leaves 2027-07-10; the clock says 2027-03-01
    directory.organise(departure, deposit=DepositPolicy(Decimal("30"), 180, Decimal("50"), False))
    order = (await book(orders, client, departure, list(client.participants))).json()
    assert order["deposit"] == {"percent": "50.00", "amount": "425.00", "late": True, "front_office_means": ["card"],
                                "due_by": None}


async def test_refused_reductions_say_why_and_place_nothing(orders, directory, bus: BusSpy):
    client = directory.add_family()
    directory.wallets[client.id] = Decimal("5.00")
    departure = directory.add_departure()
    participants = list(client.participants)
    too_much = await book(orders, client, departure, participants, cashback="6.00")
    assert too_much.status_code == 409 and too_much.json()["code"] == "wallet_insufficient"
    beyond = await book(orders, client, departure, participants, cash_discount="900.00")
    assert beyond.status_code == 409 and beyond.json()["code"] == "reductions_exceed_price"
    unknown = await book(orders, client, departure, participants, promo_code="NOPE")
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_promo_code"
    negative = await book(orders, client, departure, participants, cash_discount="-1")
    assert negative.status_code == 422
    assert (await orders.get("/orders", params={"client_id": str(client.id)})).json()["items"] == []


async def test_a_disputed_client_s_orders_say_so_everywhere_and_follow_the_client_s_changes(
        orders, directory, bus: BusSpy):
    client = directory.dispute(directory.add_family())
    departure = directory.add_departure()
    placed = await book(orders, client, departure, list(client.participants))
    assert placed.json()["client_disputed"] is True
    order_id = placed.json()["id"]
    listed = (await orders.get("/orders", params={"client_id": str(client.id)})).json()["items"]
    assert [o["client_disputed"] for o in listed] == [True]
    await bus.publish(events.ClientUpdated(client_id=client.id, kind="private", disputed=False), client.id, 2,
                      producer="clients")
    await eventually(lambda: _disputed_is(orders, order_id, False))
    await bus.publish(events.ClientUpdated(client_id=client.id, kind="private", disputed=True), client.id, 1,
                      producer="clients")
    marker = await book(orders, client, departure, list(client.participants))  # the stale event is behind us
    await bus.wait_for(events.OrderPlaced, order_id=marker.json()["id"])
    assert (await orders.get(f"/orders/{order_id}")).json()["client_disputed"] is False


async def _disputed_is(orders, order_id, value):
    return (await orders.get(f"/orders/{order_id}")).json()["client_disputed"] is value


async def test_two_orders_placed_at_once_cannot_spend_the_same_wallet_balance(orders, directory, bus: BusSpy):
    client = directory.add_family(children=2)
    directory.wallets[client.id] = Decimal("20.00")
    departure = directory.add_departure()
    first_child, second_child = client.participants
    both_read = asyncio.Event()
    readers = []
    wallet_of = directory.wallet

    async def wallet_read_by_both(client_id):
        """Without the per-client lock both orders would read the wallet before either commits."""
        readers.append(client_id)
        if len(readers) == 2:
            both_read.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(both_read.wait(), 1)
        return await wallet_of(client_id)

    directory.wallet = wallet_read_by_both
    answers = await asyncio.gather(book(orders, client, departure, [first_child], cashback="15.00"),
                                   book(orders, client, departure, [second_child], cashback="15.00"))
    assert sorted(a.status_code for a in answers) == [201, 409]
    (refused,) = [a for a in answers if a.status_code == 409]
    assert refused.json()["code"] == "wallet_insufficient" and "5.00" in refused.json()["detail"]

    (placed,) = [a.json() for a in answers if a.status_code == 201]
    await bus.wait_for(events.CashbackUsed, order_id=placed["id"])
    directory.wallet = wallet_of
    directory.wallets[client.id] = Decimal("5.00")  # clients debited the first order's cashback
    directory.debited[client.id] = {uuid.UUID(placed["id"])}
    assert (await book(orders, client, departure, [second_child], cashback="6.00")).status_code == 409
    assert (await book(orders, client, departure, [second_child], cashback="5.00")).status_code == 201
