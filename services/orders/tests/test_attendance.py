"""Attendance: present by default when validated, settled and complete; absences with their reason."""
import uuid

import pytest

from orders.domain.attendance import Mark, attendance, check_mark
from shared.problems import DomainError
from shared.testing import BusSpy

from .test_orders_api import optioned


def test_present_by_default_only_when_validated_settled_and_complete():
    assert attendance(True, True, True, None)
    assert not attendance(True, False, True, None) and not attendance(True, True, False, None)
    assert not attendance(True, True, True, Mark(False, "Malade"))
    assert attendance(True, False, False, Mark(True))


def test_an_absence_needs_a_reason_and_a_validated_order():
    for validated, mark, code in ((True, Mark(False, " "), "absence_reason_required"),
                                  (False, Mark(True), "attendance_not_applicable")):
        with pytest.raises(DomainError) as refused:
            check_mark(validated, mark)
        assert refused.value.code == code


async def test_the_departure_list_shows_presence_and_absences(orders, directory, bus: BusSpy):
    paid = await optioned(orders, directory, bus, children=2)
    departure = paid["departure_id"]
    await orders.post(f"/orders/{paid['id']}/payments", json={"amount": "1700.00", "method": "transfer"})
    lea, tom = [p["participant_id"] for p in paid["participants"]]
    listed = (await orders.get(f"/departures/{departure}/attendance")).json()
    assert [(p["participant_id"], p["expected"], p["present"]) for p in listed["items"]] == [
        (lea, True, True), (tom, True, True)]  # no required documents: the file is complete

    absent = await orders.put(f"/orders/{paid['id']}/participants/{tom}/attendance",
                              json={"present": False, "reason": "Varicelle"})
    assert absent.status_code == 200 and absent.json()["present"] is False and absent.json()["reason"] == "Varicelle"
    no_reason = await orders.put(f"/orders/{paid['id']}/participants/{lea}/attendance", json={"present": False})
    assert no_reason.status_code == 409 and no_reason.json()["code"] == "absence_reason_required"
    page = (await orders.get(f"/departures/{departure}/attendance?limit=1")).json()
    rest = (await orders.get(f"/departures/{departure}/attendance?limit=1&cursor={page['next_cursor']}")).json()
    assert [(p["present"], p["reason"]) for p in page["items"] + rest["items"]] == [(True, None),
                                                                                      (False, "Varicelle")]
    assert rest["next_cursor"] is None
    unknown = await orders.put(f"/orders/{paid['id']}/participants/{uuid.uuid4()}/attendance", json={"present": True})
    assert unknown.status_code == 404

    option = await optioned(orders, directory, bus)
    refused = await orders.put(f"/orders/{option['id']}/participants/{option['participants'][0]['participant_id']}"
                               "/attendance", json={"present": True})
    assert refused.status_code == 409 and refused.json()["code"] == "attendance_not_applicable"
