"""The rules of billing documents and their PDF, without I/O."""
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.app import DEMO_ISSUER
from billing.domain.documents import (
    Kind,
    Seller,
    Snapshot,
    cancellation_reason,
    check_lines,
    reference,
    series_for,
)
from billing.pdf import render_html, render_pdf
from shared.events import Buyer, InvoiceLine
from shared.problems import DomainError

ISSUED = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
PARIS, MARTINIQUE = ZoneInfo("Europe/Paris"), ZoneInfo("America/Martinique")
LINES = [
    InvoiceLine(label="Séjour Montagne & Lac", quantity=2, unit_price=Decimal("1250.00"), amount=Decimal("2500.00")),
    InvoiceLine(label="Remise fratrie", quantity=1, unit_price=Decimal("-50.00"), amount=Decimal("-50.00")),
]
DEMO_SELLER = DEMO_ISSUER.mentions(uuid.uuid4(), 1)
BUYER = Buyer(client_id="6f1c1f0e-8a51-4d1e-9b0e-3b1a3c1d2e4f", name="Mairie de Vizille",
              address_lines=["Place du Château"], postal_code="38220", city="Vizille")


def invoice(**changes) -> Snapshot:
    values = dict(kind=Kind.INVOICE, reference="F2026-00001", issued_at=ISSUED, order_reference="C2026-00007",
                  seller=DEMO_SELLER, buyer=BUYER, lines=LINES, total=Decimal("2450.00"),
                  amount_paid=Decimal("450.00"))
    return Snapshot(**{**values, **changes})


def credit_note() -> Snapshot:
    return invoice(kind=Kind.CREDIT_NOTE, reference="A2026-00001", amount_paid=None,
                   invoice_reference="F2026-00001", reason="Annulation de la commande C2026-00007")


def test_series_are_per_kind_and_calendar_year_on_the_master_entity_s_clock():
    assert series_for(Kind.INVOICE, ISSUED, PARIS) == "F2026"
    assert series_for(Kind.CREDIT_NOTE, ISSUED, PARIS) == "A2026"
    # 31 December 23:30 UTC is already 1 January in Paris, still 31 December in Martinique.
    assert series_for(Kind.INVOICE, datetime(2026, 12, 31, 23, 30, tzinfo=UTC), PARIS) == "F2027"
    assert series_for(Kind.INVOICE, datetime(2026, 12, 31, 23, 30, tzinfo=UTC), MARTINIQUE) == "F2026"


def test_the_issue_date_printed_is_the_master_entity_s_day_kept_with_the_document():
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert "<td>01/01/2027</td>" in render_html(invoice(issued_at=new_year, reference="F2027-00001"))
    martinique = DEMO_SELLER.model_copy(update={"time_zone": MARTINIQUE})
    assert "<td>31/12/2026</td>" in render_html(invoice(issued_at=new_year, seller=martinique))
    kept = DEMO_SELLER.model_dump(mode="json")
    assert kept["time_zone"] == "Europe/Paris"  # in each document's snapshot of its seller
    del kept["time_zone"]  # a document issued before the setting existed was issued in Paris
    assert Seller.model_validate(kept).time_zone == PARIS


def test_the_issuer_s_time_zone_is_one_of_its_settings():
    overseas = DEMO_ISSUER.model_copy(update={"time_zone": "America/Martinique"})
    assert overseas.mentions(uuid.uuid4(), 2).time_zone == MARTINIQUE


def test_references_have_five_digits():
    assert reference("F2026", 1) == "F2026-00001"
    assert reference("A2027", 12345) == "A2027-12345"


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=1, max_value=99_999))
def test_references_sort_like_their_numbers(a, b):
    assert (reference("F2026", a) < reference("F2026", b)) == (a < b)


def test_lines_must_sum_exactly_to_the_total():
    check_lines(LINES, Decimal("2450.00"))
    with pytest.raises(DomainError) as refused:
        check_lines(LINES, Decimal("2450.01"))
    assert refused.value.code == "lines_do_not_sum"


def test_each_line_amount_is_quantity_times_unit_price():
    wrong = [InvoiceLine(label="Séjour", quantity=3, unit_price=Decimal("10.00"), amount=Decimal("20.00"))]
    with pytest.raises(DomainError) as refused:
        check_lines(wrong, Decimal("20.00"))
    assert refused.value.code == "line_amount_mismatch"
    with pytest.raises(DomainError):
        check_lines([], Decimal("0.00"))


def test_a_cancellation_names_the_order_and_its_reason():
    assert cancellation_reason("C-1", None) == "Annulation de la commande C-1"
    assert cancellation_reason("C-1", "maladie") == "Annulation de la commande C-1 : maladie"


def test_the_invoice_carries_every_legal_mention():
    html = render_html(invoice())
    for mention in ("FACTURE", "F2026-00001", "05/03/2026", "C2026-00007", "Colo Vacances", "SAS au capital de",
                    "10 000 €", "SIRET 900 000 001 00017", "RCS Lyon 900 000 001", "FR68900000001",
                    "Régime particulier – Agences de voyages", "Mairie de Vizille", "Place du Château",
                    "38220 Vizille", "Séjour Montagne &amp; Lac", "1\u202f250,00 €", "-50,00 €", "2\u202f450,00 €",
                    "450,00 €", "2\u202f000,00 €", "Conditions de paiement", "pénalités", "trois fois le taux",
                    "40 €", "frais de recouvrement"):
        assert mention in html, mention
    assert "AVOIR" not in html


def test_the_credit_note_names_the_invoice_it_cancels():
    html = render_html(credit_note())
    assert "AVOIR" in html and "A2026-00001" in html
    assert "Avoir sur la facture F2026-00001" in html
    assert "Annulation de la commande C2026-00007" in html
    assert "Montant de l'avoir TTC" in html


def test_an_exempt_seller_prints_its_mention_and_no_vat_number():
    seller = DEMO_SELLER.model_copy(update={"vat_number": "", "vat_mention": "TVA non applicable, article 261-7-1° du CGI"})
    html = render_html(invoice(seller=seller))
    assert "TVA non applicable, article 261-7-1° du CGI" in html
    assert "intracommunautaire" not in html


def test_the_pdf_is_a_pdf_rendered_identically_from_the_snapshot(pdf_objects):
    first = render_pdf(invoice())
    assert first.startswith(b"%PDF-")
    assert render_pdf(invoice()) == first
    assert b"Facture F2026-00001" in pdf_objects(first)
