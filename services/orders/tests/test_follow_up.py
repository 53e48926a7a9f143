"""Seed 001's two free texts of an order: the client's additional information and the operators' notes."""
import uuid

from shared.testing import auth

from .test_orders_api import place


async def test_operators_keep_follow_up_notes_the_client_never_sees(orders, directory):
    order = await place(orders, directory)
    url = f"/orders/{order['id']}/notes"
    for text in ("Appel de la mère : rappeler après 18 h.", "Rappelée, accord pour le car de Lyon."):
        written = await orders.post(url, json={"text": f"  {text} "})
        assert written.status_code == 201, written.text
        assert (written.json()["text"], written.json()["author"]) == (text, "operator@test")

    first = (await orders.get(url, params={"limit": 1})).json()
    second = (await orders.get(url, params={"limit": 1, "cursor": first["next_cursor"]})).json()
    assert [n["text"] for n in first["items"] + second["items"]] == [
        "Appel de la mère : rappeler après 18 h.", "Rappelée, accord pour le car de Lyon."]
    assert second["next_cursor"] is None
    assert (await orders.get(url, params={"cursor": "bm90LWEtY3Vyc29y"})).status_code == 422

    family = auth("client", client_id=order["client_id"], name="Mme MARTIN Claire", email="claire@example.org")
    assert (await orders.get(url, headers=family)).status_code == 403
    assert (await orders.post(url, json={"text": "Moi aussi"}, headers=family)).status_code == 403
    assert (await orders.post(url, json={"text": "   "})).status_code == 422
    assert (await orders.post(f"/orders/{uuid.uuid4()}/notes", json={"text": "Perdu"})).status_code == 404


async def test_the_client_writes_its_additional_information_and_the_workflow_says_it_changed(orders, directory):
    client = directory.add_family(1)
    departure = directory.add_departure()
    placed = await orders.post("/orders", json={
        "client_id": str(client.id), "departure_id": str(departure.id),
        "participant_ids": [str(p) for p in client.participants],
        "additional_information": "Mon fils part avec son copain Hugo."})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["additional_information"] == "Mon fils part avec son copain Hugo."

    url = f"/orders/{order['id']}/additional-information"
    family = auth("client", client_id=order["client_id"], name="Mme MARTIN Claire", email="claire@example.org")
    changed = await orders.put(url, json={"text": "Ma fille doit être assise à l'avant du car."}, headers=family)
    assert changed.status_code == 200, changed.text
    assert (await orders.get(f"/orders/{order['id']}")).json()["additional_information"] == \
        "Ma fille doit être assise à l'avant du car."
    other_family = auth("client", client_id=str(uuid.uuid4()))
    assert (await orders.put(url, json={"text": "Pirate"}, headers=other_family)).status_code == 404
    assert (await orders.put(url, json={"text": None})).json()["additional_information"] is None

    workflow = (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]
    assert [(e["actor"], e["actor_name"], e["actor_email"], e["detail"]) for e in workflow
            if e["action"] == "additional_information"] == [
        ("client@test", "Mme MARTIN Claire", "claire@example.org", "Informations complémentaires du client modifiées."),
        ("operator@test", None, None, "Informations complémentaires du client effacées.")]
    placed = workflow[0]
    assert (placed["actor"], placed["actor_role"]) == ("operator@test", "operator")
