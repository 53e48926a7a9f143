"""VAT of a document, without I/O: totals that sum exactly under either rounding, what each regime and buyer
prints, and the e-invoice of a professional buyer."""
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import facturx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from billing.app import DEMO_ISSUER
from billing.domain.documents import Kind, Snapshot
from billing.domain.issuers import VatRegime
from billing.domain.vat import Rounding, Treatment, summarise, with_rates
from billing.einvoice import NAMESPACES, cii_xml
from billing.pdf import render_html, render_pdf
from shared.events import Buyer, InvoiceLine
from shared.problems import DomainError

CENT = Decimal("0.01")
RATES = [Decimal("0.00"), Decimal("2.10"), Decimal("5.50"), Decimal("10.00"), Decimal("20.00")]
FAMILY = Buyer(client_id=uuid.uuid4(), name="Mme Camille Martin", address_lines=["3 allée des Tilleuls"],
               postal_code="38000", city="Grenoble")
GERMAN_WORKS_COUNCIL = Buyer(client_id=uuid.uuid4(), name="Betriebsrat Alpha GmbH", address_lines=["Hauptstraße 1"],
                             postal_code="10115", city="Berlin", country="DE", vat_number="DE136695976",
                             intra_eu_professional=True)
TOWN_HALL = Buyer(client_id=uuid.uuid4(), name="Mairie de Vizille", address_lines=["Place du Château"],
                  postal_code="38220", city="Vizille", siren="552 100 554", vat_number="FR40552100554")


def line(label: str, quantity: int, unit_price: str, rate: str | None = None) -> InvoiceLine:
    price = Decimal(unit_price)
    return InvoiceLine(label=label, quantity=quantity, unit_price=price, amount=price * quantity,
                       vat_rate=Decimal(rate) if rate is not None else None)


lines_st = st.lists(
    st.builds(lambda q, cents, rate: line("x", q, str(Decimal(cents) / 100), str(rate)),
              st.integers(1, 20), st.integers(-50_000, 500_000), st.sampled_from(RATES)),
    min_size=1, max_size=15)


@given(lines_st, st.booleans(), st.sampled_from(list(Rounding)))
def test_totals_sum_exactly_whatever_the_rounding(lines, prices_include_tax, rounding):
    vat = summarise(lines, VatRegime.STANDARD, FAMILY, prices_include_tax, rounding)
    gross = sum(line.amount for line in lines)
    assert sum(r.base for r in vat.rates) == vat.total_excl_tax
    assert sum(r.vat for r in vat.rates) == vat.total_vat
    assert vat.total_excl_tax + vat.total_vat == vat.total_incl_tax
    assert (vat.total_incl_tax if prices_include_tax else vat.total_excl_tax) == gross, "the prices are kept"
    for total in (vat.total_excl_tax, vat.total_vat, vat.total_incl_tax, *(r.vat for r in vat.rates)):
        assert total == total.quantize(CENT)
    assert [r.rate for r in vat.rates] == sorted({line.vat_rate for line in lines})


@given(lines_st, st.booleans())
def test_rounding_per_rate_is_the_exact_vat_to_the_cent_and_per_line_within_a_half_cent_a_line(lines,
                                                                                             prices_include_tax):
    per_line = summarise(lines, VatRegime.STANDARD, FAMILY, prices_include_tax, Rounding.LINE)
    per_rate = summarise(lines, VatRegime.STANDARD, FAMILY, prices_include_tax, Rounding.DOCUMENT)
    for by_line, by_rate in zip(per_line.rates, per_rate.rates, strict=True):
        amounts = [line.amount for line in lines if line.vat_rate == by_rate.rate]
        gross = sum(amounts)
        exact = gross * by_rate.rate / (100 + by_rate.rate if prices_include_tax else 100)
        assert abs(by_rate.vat - exact) <= Decimal("0.005")
        assert abs(by_line.vat - exact) <= Decimal("0.005") * len(amounts)


@given(lines_st, st.sampled_from(list(Rounding)))
def test_a_reverse_charge_or_exempt_buyer_pays_the_total_excluding_tax(lines, rounding):
    charged = summarise(lines, VatRegime.STANDARD, FAMILY, True, rounding)
    for buyer, treatment in ((GERMAN_WORKS_COUNCIL, Treatment.REVERSE_CHARGE),
                             (FAMILY.model_copy(update={"vat_exempt": True}), Treatment.BUYER_EXEMPT)):
        exempt = summarise(lines, VatRegime.STANDARD, buyer, True, rounding)
        assert exempt.treatment == treatment and exempt.total_vat == 0
        assert exempt.total_incl_tax == exempt.total_excl_tax == charged.total_excl_tax


def test_the_worked_example_twenty_percent_included():
    lines = [line("Séjour", 2, "850.00", "20.00"), line("Transport", 2, "95.50", "10.00"),
             line("Adhésion", 1, "15.00", "0.00")]
    vat = summarise(lines, VatRegime.STANDARD, FAMILY, True, Rounding.LINE)
    assert [(r.rate, r.base, r.vat) for r in vat.rates] == [
        (Decimal("0.00"), Decimal("15.00"), Decimal("0.00")),
        (Decimal("10.00"), Decimal("173.64"), Decimal("17.36")),
        (Decimal("20.00"), Decimal("1416.67"), Decimal("283.33")),
    ]
    assert (vat.total_excl_tax, vat.total_vat, vat.total_incl_tax) == (
        Decimal("1605.31"), Decimal("300.69"), Decimal("1906.00"))


def test_rounding_per_line_and_per_document_can_differ_by_cents():
    lines = [line(f"Goûter {n}", 1, "0.10", "5.50") for n in range(3)]
    assert summarise(lines, VatRegime.STANDARD, FAMILY, False, Rounding.LINE).total_vat == Decimal("0.03")
    assert summarise(lines, VatRegime.STANDARD, FAMILY, False, Rounding.DOCUMENT).total_vat == Decimal("0.02")


@pytest.mark.parametrize("regime", [VatRegime.ASSOCIATION, VatRegime.FRANCHISE, VatRegime.MARGIN_SCHEME])
def test_an_exempt_issuer_or_a_travel_operator_shows_no_vat_even_to_a_reverse_charge_buyer(regime):
    rated = with_rates([line("Séjour", 1, "1000.00", "20.00")], regime, Decimal("20.00"))
    assert rated[0].vat_rate is None, "no rate printed"
    vat = summarise(rated, regime, GERMAN_WORKS_COUNCIL, True, Rounding.LINE)
    assert vat.treatment == Treatment.NO_VAT and vat.rates == [] and vat.total_incl_tax == Decimal("1000.00")


def test_reverse_charge_needs_the_buyer_s_vat_number():
    with pytest.raises(DomainError) as refused:
        summarise([line("x", 1, "1.00", "20.00")], VatRegime.STANDARD,
                  GERMAN_WORKS_COUNCIL.model_copy(update={"vat_number": None}), True, Rounding.LINE)
    assert refused.value.code == "reverse_charge_without_vat_number"


def test_a_line_without_a_rate_takes_the_issuer_s_default():
    rated = with_rates([line("Séjour", 1, "100.00"), line("Livre", 1, "10.00", "5.50")], VatRegime.STANDARD,
                       Decimal("20.00"))
    assert [r.vat_rate for r in rated] == [Decimal("20.00"), Decimal("5.50")]


def snapshot(regime: VatRegime, buyer: Buyer, **issuer_changes) -> Snapshot:
    settings = DEMO_ISSUER.model_copy(update={"vat_regime": regime, **issuer_changes})
    lines = with_rates([line("Séjour Montagne", 2, "850.00", "20.00"), line("Transport", 2, "95.50", "10.00")],
                       regime, settings.default_vat_rate)
    vat = summarise(lines, regime, buyer, True, Rounding.LINE)
    return Snapshot(kind=Kind.INVOICE, reference="F2026-00003", issued_at=datetime(2026, 3, 5, 9, tzinfo=UTC),
                    order_reference=None, seller=settings.mentions(uuid.uuid4(), 3), buyer=buyer, lines=lines,
                    total=vat.total_incl_tax, amount_paid=Decimal("0.00"), vat=vat)


def test_a_standard_invoice_prints_its_totals_excluding_tax_vat_per_rate_and_including_tax():
    html = render_html(snapshot(VatRegime.STANDARD, FAMILY))
    for printed in ("Prix unitaire TTC", "20 %", "10 %", "Total HT", "TVA 10 % sur 173,64 €", "17,36 €",
                    "TVA 20 % sur 1\u202f416,67 €", "283,33 €", "Total TTC", "1\u202f891,00 €"):
        assert printed in html, printed
    assert "Autoliquidation" not in html and "Commande" not in html, "a document without an order names none"


def test_an_intra_eu_professional_is_billed_excluding_tax_with_the_reverse_charge_mention_and_its_numbers():
    html = render_html(snapshot(VatRegime.STANDARD, GERMAN_WORKS_COUNCIL))
    for printed in ("Betriebsrat Alpha GmbH", "N° TVA intracommunautaire DE136695976", "Autoliquidation",
                    "article 283-2 du CGI", "TVA 20 % sur 1\u202f416,67 €", "Total à payer", "1\u202f590,31 €"):
        assert printed in html, printed


def test_a_french_professional_s_siren_and_vat_number_are_printed():
    html = render_html(snapshot(VatRegime.STANDARD, TOWN_HALL))
    assert "SIREN 552 100 554" in html and "N° TVA intracommunautaire FR40552100554" in html


@pytest.mark.parametrize(("regime", "mention"), [
    (VatRegime.ASSOCIATION, "TVA non applicable, article 261-7-1° du CGI"),
    (VatRegime.FRANCHISE, "TVA non applicable, article 293 B du CGI"),
    (VatRegime.MARGIN_SCHEME, "Régime particulier – Agences de voyages"),
])
def test_the_issuer_s_regime_prints_its_mention_and_no_vat(regime, mention):
    html = render_html(snapshot(regime, GERMAN_WORKS_COUNCIL))
    assert mention in html and "Total HT" not in html and "TVA 20" not in html and "Autoliquidation" not in html
    assert "1\u202f891,00 €" in html


def test_a_travel_operator_prints_its_atout_france_registration_guarantor_and_insurer_and_its_bank():
    html = render_html(snapshot(VatRegime.MARGIN_SCHEME, FAMILY))
    for printed in ("Atout France sous le n° IM069100001", "Garant financier : APST", "Assureur responsabilité "
                    "civile professionnelle : Hiscox", "IBAN FR76 3000 6000 0112 3456 7890 189", "BIC AGRIFRPP"):
        assert printed in html, printed


@pytest.mark.parametrize("regime", list(VatRegime))
@pytest.mark.parametrize("buyer", [GERMAN_WORKS_COUNCIL, TOWN_HALL])
def test_the_e_invoice_xml_is_valid_en16931_and_its_lines_sum_to_its_totals(regime, buyer):
    document = snapshot(regime, buyer)
    xml = cii_xml(document)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    root = etree.fromstring(xml)

    def amounts(path: str) -> list[Decimal]:
        return [Decimal(e.text) for e in root.iterfind(path, NAMESPACES)]

    lines = amounts(".//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount")
    header = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    assert sum(lines) == amounts(header + "ram:LineTotalAmount")[0] == document.vat.total_excl_tax
    assert sum(amounts(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:BasisAmount")) == sum(lines)
    assert amounts(header + "ram:GrandTotalAmount") == [document.total]
    assert root.findtext(".//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", namespaces=NAMESPACES) == (
        buyer.vat_number)
    categories = {e.text for e in root.iterfind(".//ram:CategoryCode", NAMESPACES)}
    if regime != VatRegime.STANDARD:
        assert categories == {"E"}
    elif buyer.intra_eu_professional:
        assert categories == {"AE"} and "Autoliquidation" in xml.decode()
    else:
        assert categories == {"S"}


def test_a_professional_buyer_s_pdf_is_a_factur_x_and_a_family_s_is_not():
    name, xml = facturx.get_xml_from_pdf(render_pdf(snapshot(VatRegime.STANDARD, TOWN_HALL)), check_xsd=True)
    assert name == "factur-x.xml" and b"F2026-00003" in xml
    assert facturx.get_xml_from_pdf(render_pdf(snapshot(VatRegime.STANDARD, FAMILY)), check_xsd=False) == (False, False)
