"""The documents checklist: uploads by operators and clients, the operator's check, the file complete flag."""
import uuid

import pytest

from orders.domain.documents import (
    DocumentStatus,
    InvalidFile,
    ItemStatus,
    check_file,
    checklist,
    complete,
    missing_labels,
    safe_name,
)
from orders.gateways import RequiredDocument, StayTerms
from shared import events
from shared.testing import BusSpy, auth

from .test_orders_api import optioned

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
REQUIRED = (RequiredDocument("health_form", "Fiche sanitaire"), RequiredDocument("swim_test", "Test d'aisance aquatique"))


def test_files_are_recognised_from_their_first_bytes_and_limited_in_size():
    assert check_file("application/pdf", PDF, 1000) == "application/pdf"
    assert check_file(None, PNG, 1000) == "image/png"
    assert check_file("image/jpeg", b"\xff\xd8\xff\xe0rest", 1000) == "image/jpeg"
    for declared, content, limit, code in (("application/pdf", b"MZ\x90\x00", 1000, "unsupported_file_type"),
                                           ("image/png", PDF, 1000, "file_type_mismatch"),
                                           ("application/pdf", PDF, 10, "file_too_large"),
                                           ("application/pdf", b"", 10, "empty_file")):
        with pytest.raises(InvalidFile) as refused:
            check_file(declared, content, limit)
        assert refused.value.code == code


def test_the_file_is_complete_when_every_required_document_is_checked():
    required = [("health_form", "Fiche sanitaire"), ("swim_test", "Test d'aisance aquatique")]
    items = checklist(required, {"health_form": DocumentStatus.CHECKED, "swim_test": DocumentStatus.TO_CHECK})
    assert [i.status for i in items] == [ItemStatus.CHECKED, ItemStatus.TO_CHECK]
    assert not complete(items) and missing_labels(items) == ["Test d'aisance aquatique"]
    assert complete(checklist(required, {c: DocumentStatus.CHECKED for c, _ in required}))
    assert complete(checklist([], {}))
    assert [i.status for i in checklist(required, {})] == [ItemStatus.MISSING] * 2


def test_a_file_name_keeps_no_path_nor_quotes():
    assert safe_name('..\\..\\etc/"passwd".pdf') == "passwd.pdf"
    assert safe_name("") == "document"


async def with_paperwork(orders, directory, bus):
    order = await optioned(orders, directory, bus)
    directory.terms[uuid.UUID(order["departure_id"])] = StayTerms(required_documents=REQUIRED)
    return order


async def test_a_client_upload_alerts_an_operator_who_checks_it_and_the_file_completes(orders, directory,
                                                                                       bus: BusSpy):
    order = await with_paperwork(orders, directory, bus)
    docs = f"/orders/{order['id']}/documents"
    family = auth("client", client_id=order["client_id"])
    checklist = (await orders.get(f"/orders/{order['id']}/checklist", headers=family)).json()
    assert checklist == {"file_complete": False, "items": [
        {"code": "health_form", "label": "Fiche sanitaire", "status": "missing"},
        {"code": "swim_test", "label": "Test d'aisance aquatique", "status": "missing"}]}

    sent = await orders.post(docs, headers=family, data={"code": "health_form"},
                             files={"file": ("fiche.pdf", PDF, "application/pdf")})
    assert sent.status_code == 201, sent.text
    assert sent.json()["status"] == "to_check" and sent.json()["uploaded_by_client"]
    alerts = (await orders.get("/document-alerts")).json()["items"]
    assert [a["id"] for a in alerts] == [sent.json()["id"]]
    refused = await orders.post(f"{docs}/{sent.json()['id']}/refusal", json={"reason": "Illisible"})
    assert refused.json()["status"] == "refused" and (await orders.get("/document-alerts")).json()["items"] == []

    again = await orders.post(docs, headers=family, data={"code": "health_form"},
                              files={"file": ("fiche2.png", PNG, "image/png")})
    assert (await orders.post(f"{docs}/{again.json()['id']}/check")).json()["status"] == "checked"
    swim = await orders.post(docs, data={"code": "swim_test", "checked": "true"},
                             files={"file": ("test.pdf", PDF, "application/pdf")})
    assert swim.json()["status"] == "checked" and not swim.json()["uploaded_by_client"]

    completed = await bus.wait_for(events.FileCompleted, order_id=order["id"])
    assert completed.data["complete"] is True
    assert (await orders.get(f"/orders/{order['id']}")).json()["file_complete"] is True
    download = await orders.get(f"{docs}/{again.json()['id']}/content", headers=family)
    assert download.content == PNG and download.headers["content-type"] == "image/png"
    actions = [e["action"] for e in (await orders.get(f"/orders/{order['id']}/workflow")).json()["items"]]
    assert actions[-2:] == ["document_uploaded", "file_complete"] and "document_refused" in actions

    await orders.post(f"{docs}/{swim.json()['id']}/refusal", json={"reason": "Périmé"})
    reopened = await bus.wait_for(events.FileCompleted, order_id=order["id"], complete=False)
    assert reopened.data["missing_documents"] == ["Test d'aisance aquatique"]


async def test_other_documents_and_refusals_of_bad_files(orders, directory, bus: BusSpy):
    order = await with_paperwork(orders, directory, bus)
    docs = f"/orders/{order['id']}/documents"
    other = await orders.post(docs, data={"title": "Prise en charge CAF"},
                              files={"file": ("pec.pdf", PDF, "application/pdf")})
    assert other.status_code == 201 and other.json()["code"] is None and other.json()["title"] == "Prise en charge CAF"
    assert (await orders.get(docs)).json()["items"][0]["id"] == other.json()["id"]
    exe = await orders.post(docs, files={"file": ("virus.pdf", b"MZ\x90\x00", "application/pdf")})
    assert exe.status_code == 422 and exe.json()["code"] == "unsupported_file_type"
    unknown = await orders.post(docs, data={"code": "passport"}, files={"file": ("p.pdf", PDF, "application/pdf")})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_document_code"
    family = auth("client", client_id=order["client_id"])
    no_code = await orders.post(docs, headers=family, files={"file": ("p.pdf", PDF, "application/pdf")})
    assert no_code.status_code == 422 and no_code.json()["code"] == "code_required"
    stranger = auth("client", client_id=str(uuid.uuid4()))
    assert (await orders.get(docs, headers=stranger)).status_code == 404
    assert (await orders.post(f"{docs}/{other.json()['id']}/check", headers=family)).status_code == 403
    assert (await orders.get(f"{docs}/{uuid.uuid4()}/content")).status_code == 404


async def test_the_size_limit_comes_from_configuration(orders, directory, bus: BusSpy):
    order = await with_paperwork(orders, directory, bus)
    big = PDF + b"0" * (5 * 1024 * 1024)
    refused = await orders.post(f"/orders/{order['id']}/documents", data={"code": "health_form"},
                                files={"file": ("big.pdf", big, "application/pdf")})
    assert refused.status_code == 413 and refused.json()["code"] == "file_too_large"
