"""E-invoices for professional buyers: the document's CII XML (Factur-X, EN 16931 profile), embedded by the
factur-x library in the PDF/A-3 that WeasyPrint renders.

EN 16931 counts line amounts excluding tax. Lines priced tax included are converted line by line, the last line
of each rate taking the rounding difference, so that the lines of a rate sum exactly to its base, as printed.
"""
from decimal import ROUND_HALF_UP, Decimal

from facturx import generate_from_binary
from lxml import etree

from billing.domain.documents import Kind, Snapshot
from billing.domain.issuers import VatRegime
from billing.domain.vat import Treatment, VatSummary
from shared.events import InvoiceLine

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NAMESPACES = {"rsm": RSM, "ram": RAM, "udt": UDT}
CENT, PRICE = Decimal("0.01"), Decimal("0.0001")
EXEMPTION_CODES = {VatRegime.MARGIN_SCHEME: "VATEX-EU-D", VatRegime.FRANCHISE: "VATEX-FR-FRANCHISE"}


def is_professional(snapshot: Snapshot) -> bool:
    """A buyer with a SIREN or a VAT number is a company, a body or a public buyer: it gets an e-invoice."""
    return bool(snapshot.buyer.siren or snapshot.buyer.vat_number)


def _el(parent: etree._Element, tag: str, text: object = None, **attributes: str) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NAMESPACES[prefix]}}}{name}", attributes)
    if text is not None:
        element.text = str(text)
    return element


def _category(vat: VatSummary, rate: Decimal | None) -> tuple[str, str | None, str | None]:
    """The VAT category code, and for an exemption its reason and code."""
    if vat.treatment == Treatment.REVERSE_CHARGE:
        return "AE", vat.mention, "VATEX-EU-AE"
    if vat.treatment in (Treatment.NO_VAT, Treatment.BUYER_EXEMPT):
        return "E", vat.mention, EXEMPTION_CODES.get(vat.regime)
    return ("Z" if not rate else "S"), None, None


def _net_lines(lines: list[InvoiceLine], vat: VatSummary) -> list[Decimal]:
    """Each line's amount excluding tax; a rate's lines sum to its base exactly."""
    if vat.treatment == Treatment.NO_VAT or not vat.prices_include_tax:
        return [line.amount for line in lines]
    nets = [(line.amount * 100 / (100 + (line.vat_rate or 0))).quantize(CENT, ROUND_HALF_UP) for line in lines]
    for total in vat.rates:
        indexes = [i for i, line in enumerate(lines) if line.vat_rate == total.rate]
        nets[indexes[-1]] += total.base - sum(nets[i] for i in indexes)
    return nets


def _party(parent: etree._Element, tag: str, name: str, siren: str | None, lines: list[str], postal_code: str | None,
           city: str | None, country: str, vat_number: str | None) -> None:
    party = _el(parent, tag)
    _el(party, "ram:Name", name)
    if siren:
        _el(_el(party, "ram:SpecifiedLegalOrganization"), "ram:ID", siren.replace(" ", ""), schemeID="0002")
    address = _el(party, "ram:PostalTradeAddress")
    if postal_code:
        _el(address, "ram:PostcodeCode", postal_code)
    for tag_name, line in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), lines, strict=False):
        _el(address, tag_name, line)
    if city:
        _el(address, "ram:CityName", city)
    _el(address, "ram:CountryID", country)
    if vat_number:
        _el(_el(party, "ram:SpecifiedTaxRegistration"), "ram:ID", vat_number.replace(" ", ""), schemeID="VA")


def cii_xml(snapshot: Snapshot) -> bytes:
    """The document as a Factur-X EN 16931 CrossIndustryInvoice."""
    vat, seller, buyer = snapshot.vat, snapshot.seller, snapshot.buyer
    assert vat is not None, "documents issued before VAT totals get no e-invoice"
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NAMESPACES)
    _el(_el(_el(root, "rsm:ExchangedDocumentContext"), "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID",
        "urn:cen.eu:en16931:2017")
    header = _el(root, "rsm:ExchangedDocument")
    _el(header, "ram:ID", snapshot.reference)
    _el(header, "ram:TypeCode", "380" if snapshot.kind == Kind.INVOICE else "381")
    _el(_el(header, "ram:IssueDateTime"), "udt:DateTimeString", f"{snapshot.issued_on:%Y%m%d}", format="102")
    for note in (vat.mention, seller.late_penalties, seller.recovery_indemnity):
        if note:
            _el(_el(header, "ram:IncludedNote"), "ram:Content", note)

    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for number, (line, net) in enumerate(zip(snapshot.lines, _net_lines(snapshot.lines, vat), strict=True), 1):
        item = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", number)
        _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.label)
        price = (net / line.quantity).quantize(PRICE, ROUND_HALF_UP)
        _el(_el(_el(item, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice"), "ram:ChargeAmount",
            price)
        _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", line.quantity, unitCode="C62")
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", _category(vat, line.vat_rate)[0])
        _el(tax, "ram:RateApplicablePercent", line.vat_rate if vat.treatment == Treatment.STANDARD else "0.00")
        _el(_el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount", net)

    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    _party(agreement, "ram:SellerTradeParty", seller.name, seller.siret[:11], seller.address_lines,
           seller.postal_code, seller.city, "FR", seller.vat_number)
    _party(agreement, "ram:BuyerTradeParty", buyer.name, buyer.siren, buyer.address_lines, buyer.postal_code,
           buyer.city, buyer.country, buyer.vat_number)
    _el(transaction, "ram:ApplicableHeaderTradeDelivery")

    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", "EUR")
    if seller.iban:
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "58")
        _el(_el(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", seller.iban.replace(" ", ""))
    groups = [(r.rate, r.base, r.vat) for r in vat.rates] or [(None, vat.total_excl_tax, Decimal("0.00"))]
    for rate, base, amount in groups:
        category, reason, code = _category(vat, rate)
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", amount)
        _el(tax, "ram:TypeCode", "VAT")
        if reason:
            _el(tax, "ram:ExemptionReason", reason)
        _el(tax, "ram:BasisAmount", base)
        _el(tax, "ram:CategoryCode", category)
        if code:
            _el(tax, "ram:ExemptionReasonCode", code)
        _el(tax, "ram:RateApplicablePercent", rate if category in ("S", "Z") else "0.00")
    _el(_el(settlement, "ram:SpecifiedTradePaymentTerms"), "ram:Description", seller.payment_terms)
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, "ram:LineTotalAmount", vat.total_excl_tax)
    _el(totals, "ram:TaxBasisTotalAmount", vat.total_excl_tax)
    _el(totals, "ram:TaxTotalAmount", vat.total_vat, currencyID="EUR")
    _el(totals, "ram:GrandTotalAmount", snapshot.total)
    paid = snapshot.amount_paid or Decimal("0.00")
    if paid:
        _el(totals, "ram:TotalPrepaidAmount", paid)
    _el(totals, "ram:DuePayableAmount", snapshot.total - paid)
    if snapshot.invoice_reference:
        _el(_el(settlement, "ram:InvoiceReferencedDocument"), "ram:IssuerAssignedID", snapshot.invoice_reference)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def embed(pdf_a3: bytes, snapshot: Snapshot) -> bytes:
    """The PDF/A-3 with its XML attached, checked against the Factur-X schema on the way."""
    return generate_from_binary(pdf_a3, cii_xml(snapshot), flavor="factur-x", level="en16931", check_xsd=True,
                                lang="fr-FR")
