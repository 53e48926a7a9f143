"""VAT of a document: its totals excluding tax, VAT per rate and totals including tax, summing exactly.

The issuer's regime decides first: an exempt association, a franchise or a travel operator under the margin scheme
shows no VAT at all (the travel operator's VAT is on its margin, never shown to the buyer). Under the standard
regime, the buyer's flags decide next: an exempt client or an intra-EU professional (reverse charge) is billed
excluding tax. Amounts are rounded half-up to the cent per line or once per rate, as the issuer configures.
"""
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel

from billing.domain.issuers import REGIME_MENTIONS, Rounding, VatRegime
from shared.events import Buyer, InvoiceLine
from shared.money import CENT
from shared.problems import DomainError

HUNDRED = Decimal(100)
REVERSE_CHARGE_MENTION = "Autoliquidation – TVA due par le preneur (article 283-2 du CGI, article 196 de la " \
                         "directive 2006/112/CE)"
BUYER_EXEMPT_MENTION = "Exonération de TVA – client exonéré (article 262 du CGI)"


class Treatment(StrEnum):
    STANDARD = "standard"
    NO_VAT = "no_vat"
    REVERSE_CHARGE = "reverse_charge"
    BUYER_EXEMPT = "buyer_exempt"


class RateTotal(BaseModel):
    rate: Decimal
    base: Decimal
    vat: Decimal


class VatSummary(BaseModel):
    """What a document prints below its lines; kept with the document."""

    regime: VatRegime
    treatment: Treatment
    prices_include_tax: bool
    rounding: Rounding
    rates: list[RateTotal]
    total_excl_tax: Decimal
    total_vat: Decimal
    total_incl_tax: Decimal
    mention: str

    @property
    def shows_vat(self) -> bool:
        return self.treatment != Treatment.NO_VAT


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def treatment_of(regime: VatRegime, buyer: Buyer) -> Treatment:
    if regime != VatRegime.STANDARD:
        return Treatment.NO_VAT
    if buyer.intra_eu_professional:
        if not buyer.vat_number:
            raise DomainError("reverse_charge_without_vat_number",
                              "Reverse charge needs the buyer's checked intra-EU VAT number on the invoice.")
        return Treatment.REVERSE_CHARGE
    return Treatment.BUYER_EXEMPT if buyer.vat_exempt else Treatment.STANDARD


def with_rates(lines: list[InvoiceLine], regime: VatRegime, default_rate: Decimal) -> list[InvoiceLine]:
    """Each line with its rate written down: the issuer's default where none is given, none outside the standard
    regime (where a rate would be a mistake printed)."""
    if regime != VatRegime.STANDARD:
        return [line.model_copy(update={"vat_rate": None}) for line in lines]
    return [line if line.vat_rate is not None else line.model_copy(update={"vat_rate": default_rate})
            for line in lines]


def _tax_part(amount: Decimal, rate: Decimal, prices_include_tax: bool) -> Decimal:
    """The VAT in a tax-inclusive amount, or on a tax-exclusive one, unrounded."""
    return amount * rate / (HUNDRED + rate) if prices_include_tax else amount * rate / HUNDRED


def summarise(lines: list[InvoiceLine], regime: VatRegime, buyer: Buyer, prices_include_tax: bool,
              rounding: Rounding) -> VatSummary:
    """The totals of lines that carry their rates (see `with_rates`)."""
    treatment = treatment_of(regime, buyer)
    amounts = sum((line.amount for line in lines), Decimal("0.00"))
    mention = {Treatment.NO_VAT: REGIME_MENTIONS[regime], Treatment.REVERSE_CHARGE: REVERSE_CHARGE_MENTION,
               Treatment.BUYER_EXEMPT: BUYER_EXEMPT_MENTION, Treatment.STANDARD: ""}[treatment]
    if treatment == Treatment.NO_VAT:
        return VatSummary(regime=regime, treatment=treatment, prices_include_tax=prices_include_tax,
                          rounding=rounding, rates=[], total_excl_tax=amounts, total_vat=Decimal("0.00"),
                          total_incl_tax=amounts, mention=mention)
    by_rate: dict[Decimal, list[Decimal]] = {}
    for line in lines:
        assert line.vat_rate is not None, "with_rates gives every line its rate"
        by_rate.setdefault(line.vat_rate, []).append(line.amount)
    rates = []
    for rate, line_amounts in sorted(by_rate.items()):
        gross = sum(line_amounts, Decimal("0.00"))
        if rounding == Rounding.LINE:
            tax = sum((_round(_tax_part(a, rate, prices_include_tax)) for a in line_amounts), Decimal("0.00"))
        else:
            tax = _round(_tax_part(gross, rate, prices_include_tax))
        base = gross - tax if prices_include_tax else gross
        rates.append(RateTotal(rate=rate, base=base, vat=tax if treatment == Treatment.STANDARD else Decimal("0.00")))
    total_excl_tax = sum((r.base for r in rates), Decimal("0.00"))
    total_vat = sum((r.vat for r in rates), Decimal("0.00"))
    return VatSummary(regime=regime, treatment=treatment, prices_include_tax=prices_include_tax, rounding=rounding,
                      rates=rates, total_excl_tax=total_excl_tax, total_vat=total_vat,
                      total_incl_tax=total_excl_tax + total_vat, mention=mention)
