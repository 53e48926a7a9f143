"""Issuers through billing's API, on real PostgreSQL and RabbitMQ: an admin sets the legal mentions, each change a
version that documents keep; each issuer its own series; fiscal years closed to any new document."""
import uuid
from datetime import UTC, datetime

from billing.app import DEMO_ISSUER, BillingSettings, create
from billing.domain.issuers import IssuerSettings
from shared import events
from shared.clock import FrozenClock
from shared.testing import BusSpy, auth, running, service_settings

ADMIN = auth("admin")
YEAR = datetime.now(UTC).year
PROFESSIONAL = {"client_id": str(uuid.uuid4()), "name": "Comité d'entreprise Alpha", "address_lines": ["1 rue A"],
                "postal_code": "75001", "city": "Paris", "siren": "552 100 554"}


def issuer(**changes) -> dict:
    """The demo travel operator's settings as an admin sends them, with `changes`."""
    return {**DEMO_ISSUER.model_dump(mode="json"), **changes}


STANDARD = issuer(name="Les Colos du Rhône", vat_regime="standard", default_vat_rate="10.00",
                  operator_registration="", guarantor="", insurer="", fiscal_first_start="2025-01-01",
                  fiscal_first_end="2025-12-31")


async def test_an_admin_sets_the_master_entity_and_a_document_keeps_the_version_it_was_issued_with(billing):
    created = await billing.post("/issuers", json={**issuer(), "is_master": True}, headers=ADMIN)
    assert created.status_code == 201, created.text
    master = created.json()
    assert master["version"] == 1 and master["code"] == "" and master["printed"]["issuer_version"] == 1
    assert master["printed"]["vat_mention"].startswith("Régime particulier – Agences de voyages")

    first = (await billing.post("/invoices", json={"buyer": PROFESSIONAL, "lines": [
        {"label": "Adhésion", "unit_price": "15.00"}]})).json()
    assert first["reference"] == f"F{YEAR}-00001" and first["issuer_id"] == master["id"]

    changed = await billing.put(f"/issuers/{master['id']}", json=issuer(name="Colo Vacances & Cie",
                                                                         address_lines=["1 place Bellecour"]),
                                headers=ADMIN)
    assert changed.status_code == 200 and changed.json()["version"] == 2
    second = (await billing.post("/invoices", json={"buyer": PROFESSIONAL, "lines": [
        {"label": "Adhésion", "unit_price": "15.00"}]})).json()
    assert second["reference"] == f"F{YEAR}-00002"
    assert second["seller"]["name"] == "Colo Vacances & Cie" and second["seller"]["issuer_version"] == 2
    kept = (await billing.get(f"/invoices/{first['id']}")).json()
    assert kept["seller"]["name"] == "Colo Vacances" and kept["seller"]["address_lines"] == ["12 rue des Colonies"]
    assert kept["seller"]["issuer_version"] == 1

    versions = (await billing.get(f"/issuers/{master['id']}/versions")).json()
    assert [(v["version"], v["settings"]["name"], v["created_by"]) for v in versions] == [
        (1, "Colo Vacances", "admin@test"), (2, "Colo Vacances & Cie", "admin@test")]
    assert (await billing.post("/issuers", json={**issuer(), "is_master": True}, headers=ADMIN)).json()[
        "code"] == "master_exists"


async def test_mentions_the_law_refuses_are_422_naming_the_field_and_only_an_admin_sets_them(billing):
    async def refused(body: dict) -> str:
        response = await billing.post("/issuers", json={**body, "is_master": True}, headers=ADMIN)
        assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
        return response.text

    assert "siret" in await refused(issuer(siret="123 456 789 00012"))
    assert "not a SIRET" in await refused(issuer(siret="123 456 789 00012"))
    assert "vat_number" in await refused(issuer(vat_number="FR00900000001"))
    assert "iban" in await refused(issuer(iban="FR76 3000 6000 0112 3456 7890 188"))
    assert "guarantor" in await refused(issuer(guarantor=""))
    assert "vat_number" in await refused(issuer(vat_regime="standard", vat_number=""))
    assert "last day of a month" in await refused(issuer(fiscal_first_end="2024-12-30"))
    assert "time zone" in await refused(issuer(time_zone="Europe/Lyon"))
    association = issuer(vat_regime="association", vat_number="", operator_registration="", guarantor="", insurer="")
    assert (await billing.post("/issuers", json={**association, "is_master": True},
                               headers=auth("operator"))).status_code == 403
    created = await billing.post("/issuers", json={**association, "is_master": True}, headers=ADMIN)
    assert created.status_code == 201 and created.json()["printed"]["vat_mention"] == (
        "TVA non applicable, article 261-7-1° du CGI")
    assert (await billing.get("/issuers", headers=auth("accountant"))).json()["items"][0]["id"] == created.json()["id"]
    assert (await billing.get(f"/issuers/{uuid.uuid4()}")).status_code == 404


async def test_each_issuer_numbers_its_own_series_and_an_organiser_invoices_its_stays_when_the_master_lets_it(
        billing, bus: BusSpy, invoicing):
    master = (await billing.post("/issuers", json={**issuer(), "is_master": True, "invoices_all_stays": False},
                                 headers=ADMIN)).json()
    organiser_id = uuid.uuid4()
    rhone = await billing.post("/issuers", json={**STANDARD, "code": "LCR", "organiser_id": str(organiser_id)},
                               headers=ADMIN)
    assert rhone.status_code == 201, rhone.text
    assert (await billing.post("/issuers", json={**STANDARD, "code": "LCR"}, headers=ADMIN)).json()[
        "code"] == "code_taken"
    assert (await billing.post("/issuers", json={**STANDARD}, headers=ADMIN)).json()["code"] == "issuer_code"

    own = invoicing().model_copy(update={"organiser_id": organiser_id})
    other = invoicing().model_copy(update={"organiser_id": uuid.uuid4()})
    await bus.publish(own, own.order_id, 1)
    await bus.publish(other, other.order_id, 1)
    by_rhone = await bus.wait_for(events.InvoiceIssued, order_id=own.order_id)
    by_master = await bus.wait_for(events.InvoiceIssued, order_id=other.order_id)
    assert by_rhone.data["reference"] == f"LCRF{YEAR}-00001" and by_master.data["reference"] == f"F{YEAR}-00001"
    invoice = (await billing.get(f"/invoices/{by_rhone.data['invoice_id']}")).json()
    assert invoice["issuer_id"] == rhone.json()["id"] and invoice["seller"]["name"] == "Les Colos du Rhône"
    assert invoice["vat"]["treatment"] == "standard" and invoice["vat"]["total_vat"] == "171.91"
    assert [line["vat_rate"] for line in invoice["lines"]] == ["10.00", "10.00"], "the issuer's default rate"
    assert (await billing.get(f"/invoices/{by_master.data['invoice_id']}")).json()["issuer_id"] == master["id"]


async def test_a_closed_fiscal_year_takes_no_document(billing, infra, billing_db):
    rhone = (await billing.post("/issuers", json={**STANDARD, "code": "LCR"}, headers=ADMIN)).json()
    years = (await billing.get(f"/issuers/{rhone['id']}/fiscal-years")).json()
    assert [(y["starts_on"], y["ends_on"], y["closed"]) for y in years][:2] == [
        ("2025-01-01", "2025-12-31", False), ("2026-01-01", "2026-12-31", False)]
    closing = f"/issuers/{rhone['id']}/fiscal-years/{{}}/closure"
    assert (await billing.post(closing.format(f"{YEAR}-01-01"), headers=ADMIN)).json()[
        "code"] == "fiscal_year_not_over"
    assert (await billing.post(closing.format("2025-02-01"), headers=ADMIN)).json()["code"] == "not_a_fiscal_year"
    assert (await billing.post(closing.format("2025-01-01"), headers=auth("operator"))).status_code == 403
    closed = await billing.post(closing.format("2025-01-01"), headers=auth("accountant"))
    assert closed.status_code == 201 and closed.json()["closed_by"] == "accountant@test"
    assert (await billing.post(closing.format("2025-01-01"), headers=ADMIN)).json()["code"] == "fiscal_year_closed"

    body = {"issuer_id": rhone["id"], "buyer": PROFESSIONAL, "lines": [{"label": "Transport", "unit_price": "9.00"}]}
    settings = service_settings(BillingSettings, infra, "billing", billing_db)
    async with running(create(settings, FrozenClock(datetime(2025, 6, 30, 10, tzinfo=UTC)))) as in_2025:
        refused = await in_2025.post("/invoices", json=body)
        assert refused.status_code == 409 and refused.json()["code"] == "fiscal_year_closed"
        assert "2025-06-30" in refused.json()["detail"]
    issued = await billing.post("/invoices", json=body)
    assert issued.status_code == 201 and issued.json()["reference"] == f"LCRF{YEAR}-00001", "the refusal took no number"


class Production(BillingSettings):
    """Production's one difference that matters here (its tokens need identity's keys): no demo issuer."""

    def demo_issuer(self) -> IssuerSettings | None:
        return None


async def test_outside_development_nothing_is_invoiced_before_an_admin_sets_the_issuer(infra, billing_db, billing):
    settings = service_settings(Production, infra, "billing", billing_db)
    async with running(create(settings)) as production:
        body = {"buyer": PROFESSIONAL, "lines": [{"label": "Adhésion", "unit_price": "15.00"}]}
        refused = await production.post("/invoices", json=body)
        assert refused.status_code == 409 and refused.json()["code"] == "no_issuer"
        assert "POST /issuers" in refused.json()["detail"]
        assert (await production.get("/issuers")).json()["items"] == []
        await production.post("/issuers", json={**issuer(), "is_master": True}, headers=ADMIN)
        assert (await production.post("/invoices", json=body)).status_code == 201
