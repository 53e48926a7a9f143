"""Issuers: the legal entities that invoice, their VAT regime and their fiscal years.

An issuer's mentions are versioned: a document keeps the version it was issued with. Each issuer numbers its
documents in its own series (its code before the kind's letter and the year: F2026 for the master entity,
LCRF2026 for an organiser coded LCR), and issues nothing dated in a fiscal year it has closed.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Self
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from billing.domain.accounting import Chart
from billing.domain.reminders import DEFAULT_LEVELS, ReminderLevel

from shared.problems import DomainError


class Rounding(StrEnum):
    LINE = "line"
    DOCUMENT = "document"


class VatRegime(StrEnum):
    STANDARD = "standard"
    ASSOCIATION = "association"
    FRANCHISE = "franchise"
    MARGIN_SCHEME = "margin_scheme"


REGIME_MENTIONS = {
    VatRegime.STANDARD: "",
    VatRegime.ASSOCIATION: "TVA non applicable, article 261-7-1° du CGI",
    VatRegime.FRANCHISE: "TVA non applicable, article 293 B du CGI",
    VatRegime.MARGIN_SCHEME: "Régime particulier – Agences de voyages (article 266-1-e du CGI)",
}
"""What a document prints for its issuer's regime; the standard regime prints its rates instead."""


def luhn_valid(digits: str) -> bool:
    doubled = (int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(digits)))
    return sum(n - 9 if n > 9 else n for n in doubled) % 10 == 0


def valid_siret(siret: str) -> bool:
    """14 digits (spaces allowed) whose Luhn key checks, as INSEE numbers them."""
    digits = siret.replace(" ", "")
    return len(digits) == 14 and digits.isdigit() and luhn_valid(digits)


def valid_siren(siren: str) -> bool:
    digits = siren.replace(" ", "")
    return len(digits) == 9 and digits.isdigit() and luhn_valid(digits)


def valid_french_vat_number(vat_number: str, siren: str | None = None) -> bool:
    """FR, a two-digit key, the SIREN: the key is (12 + 3 × (SIREN mod 97)) mod 97, and the SIREN that of the SIRET."""
    compact = vat_number.replace(" ", "").upper()
    if len(compact) != 13 or not compact.startswith("FR") or not compact[2:].isdigit():
        return False
    key, number = int(compact[2:4]), compact[4:]
    if siren is not None and number != siren.replace(" ", "")[:9]:
        return False
    return key == (12 + 3 * (int(number) % 97)) % 97


@dataclass(frozen=True)
class FiscalCalendar:
    """The first fiscal year (it may be longer or shorter than twelve months), then twelve-month years from the
    start month that follows it."""

    first_start: date
    first_end: date

    def __post_init__(self) -> None:
        if self.first_end < self.first_start:
            raise DomainError("fiscal_year_inverted", "The first fiscal year ends before it starts.")
        if self.first_end - self.first_start > timedelta(days=731):
            raise DomainError("fiscal_year_too_long", "A first fiscal year lasts at most 24 months.")
        if (self.first_end + timedelta(days=1)).day != 1:
            raise DomainError("fiscal_year_end", "A fiscal year ends on the last day of a month.")

    @property
    def start_month(self) -> int:
        return (self.first_end + timedelta(days=1)).month

    def year_of(self, day: date) -> tuple[date, date]:
        """The first and last day of the fiscal year that holds `day`; refused before the first one."""
        if day < self.first_start:
            raise DomainError("before_first_fiscal_year",
                              f"{day.isoformat()} is before the first fiscal year ({self.first_start.isoformat()}).")
        if day <= self.first_end:
            return self.first_start, self.first_end
        start_year = day.year if day.month >= self.start_month else day.year - 1
        start = date(start_year, self.start_month, 1)
        return start, date(start_year + 1, self.start_month, 1) - timedelta(days=1)

    def years_until(self, day: date) -> list[tuple[date, date]]:
        """Every fiscal year from the first to the one holding `day`."""
        years = [(self.first_start, self.first_end)]
        while years[-1][1] < day:
            years.append(self.year_of(years[-1][1] + timedelta(days=1)))
        return years


def check_closable(calendar: FiscalCalendar, starts_on: date, today: date) -> tuple[date, date]:
    """A fiscal year is closed once it is over, and named by its first day."""
    start, end = calendar.year_of(starts_on)
    if start != starts_on:
        raise DomainError("not_a_fiscal_year", f"No fiscal year starts on {starts_on.isoformat()}; the one holding "
                                               f"it starts on {start.isoformat()}.")
    if end >= today:
        raise DomainError("fiscal_year_not_over", f"The fiscal year {start.isoformat()} – {end.isoformat()} is not "
                                                  "over: it cannot be closed yet.")
    return start, end



def valid_iban(iban: str) -> bool:
    """ISO 13616: the country and key moved to the end, letters as numbers, mod 97 is 1."""
    compact = iban.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum() or not compact[:2].isalpha():
        return False
    return int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 == 1


LATE_PENALTIES = ("En cas de retard de paiement, des pénalités sont exigibles au taux de trois fois le taux d'intérêt "
                  "légal (article L441-10 du Code de commerce).")
RECOVERY_INDEMNITY = ("Indemnité forfaitaire pour frais de recouvrement due par le client professionnel en cas de "
                      "retard de paiement : 40 € (article D441-5 du Code de commerce).")


class Seller(BaseModel):
    """An issuer's legal mentions, frozen into each document at its issue (documents issued before issuers existed
    keep the master entity's mentions of the time, without the fields added since)."""

    model_config = ConfigDict(frozen=True)
    name: str
    legal_form: str
    address_lines: list[str]
    postal_code: str
    city: str
    country: str
    siret: str
    rcs: str
    share_capital: str
    vat_number: str
    vat_mention: str = Field("", description="Before VAT regimes: the regime's mention; now printed from the "
                                             "document's VAT totals.")
    payment_terms: str
    late_penalties: str
    recovery_indemnity: str
    invoice_text: str = ""
    quote_text: str = ""
    vat_regime: VatRegime | None = None
    bank_name: str = ""
    iban: str = ""
    bic: str = ""
    operator_registration: str = Field("", description="A travel operator's registration number at Atout France.")
    guarantor: str = Field("", description="A travel operator's financial guarantor: name and address.")
    insurer: str = Field("", description="A travel operator's professional liability insurer: name and address.")
    issuer_id: UUID | None = None
    issuer_version: int | None = None
    time_zone: ZoneInfo = Field(ZoneInfo("Europe/Paris"), description="The master entity's time zone: the issue date "
                                "printed and the year of the series are its day.")


class IssuerSettings(BaseModel):
    """What an admin sets for an issuer; each change is a new version. Checked as a whole: a document is never
    issued with mentions the law would refuse."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200, examples=["Colo Vacances"])
    legal_form: str = Field("", max_length=100, examples=["SAS"], description="SAS, SARL, association...")
    share_capital: str = Field("", max_length=50, examples=["10 000 €"], description="Empty when there is none.")
    address_lines: list[str] = Field(min_length=1, max_length=4, examples=[["12 rue des Colonies"]])
    postal_code: str = Field(min_length=1, max_length=20, examples=["69001"])
    city: str = Field(min_length=1, max_length=100, examples=["Lyon"])
    country: str = Field("France", min_length=1, max_length=100)
    siret: str = Field(examples=["900 000 001 00017"], description="14 digits whose key checks.")
    rcs: str = Field("", max_length=100, examples=["RCS Lyon 900 000 001"], description="Empty for an association.")
    vat_number: str = Field("", max_length=20, examples=["FR68900000001"],
                            description="Intra-EU VAT number; its key and SIREN are checked. Required unless exempt.")
    vat_regime: VatRegime = Field(description="standard: rates shown; association (art. 261-7-1°) or franchise "
                                              "(art. 293 B): exempt; margin_scheme: travel operators, no VAT shown.")
    default_vat_rate: Decimal = Field(Decimal("20.00"), ge=0, le=100, decimal_places=2,
                                      description="Rate of a line that gives none (standard regime).")
    prices_include_tax: bool = Field(True, description="Line prices include tax (a family's prices) or not.")
    rounding: Rounding = Field(Rounding.LINE, description="VAT rounded to the cent on each line, or once per rate.")
    bank_name: str = Field("", max_length=100)
    iban: str = Field("", max_length=42, examples=["FR76 3000 6000 0112 3456 7890 189"])
    bic: str = Field("", pattern=r"^([A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?)?$", examples=["AGRIFRPP"])
    payment_terms: str = Field("paiement à réception de la facture. Pas d'escompte pour paiement anticipé.",
                               min_length=1, max_length=500)
    late_penalties: str = Field(LATE_PENALTIES, min_length=1, max_length=500)
    recovery_indemnity: str = Field(RECOVERY_INDEMNITY, min_length=1, max_length=500,
                                    description="The 40 € indemnity owed by a professional paying late.")
    invoice_text: str = Field("", max_length=2000, description="Printed at the foot of invoices and credit notes.")
    quote_text: str = Field("", max_length=2000, description="Printed at the foot of quotes.")
    operator_registration: str = Field("", max_length=100, examples=["IM069100001"],
                                       description="Atout France registration: required under the margin scheme.")
    guarantor: str = Field("", max_length=300, description="Financial guarantor: required under the margin scheme.")
    insurer: str = Field("", max_length=300, description="Professional liability insurer: required under the margin "
                                                         "scheme.")
    time_zone: str = Field("Europe/Paris", description="IANA name: the issue date printed and the series' year.")
    chart: Chart = Field(default_factory=Chart, description="Accounts and journals of the accounting export.")
    reminder_levels: list[ReminderLevel] = Field(DEFAULT_LEVELS, max_length=10, description="The master entity's "
                                                 "reminders of unpaid balances, by increasing delay.")
    fiscal_first_start: date = Field(examples=["2026-01-01"], description="First day of the first fiscal year.")
    fiscal_first_end: date = Field(examples=["2026-12-31"], description="Its last day (the last of a month); the "
                                   "following years start the month after.")

    @field_validator("siret")
    @classmethod
    def _siret(cls, siret: str) -> str:
        if not valid_siret(siret):
            raise ValueError(f"'{siret}' is not a SIRET: 14 digits whose key checks")
        return siret

    @field_validator("iban")
    @classmethod
    def _iban(cls, iban: str) -> str:
        if iban and not valid_iban(iban):
            raise ValueError(f"'{iban}' is not an IBAN whose key checks")
        return iban

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ValueError, KeyError) as error:
            raise ValueError(f"'{name}' is not an IANA time zone") from error
        return name

    @field_validator("vat_number")
    @classmethod
    def _vat_number(cls, vat_number: str, info) -> str:
        siret = info.data.get("siret")
        if vat_number.upper().startswith("FR") and not valid_french_vat_number(vat_number, siret and siret[:11]):
            raise ValueError(f"'{vat_number}' is not the French VAT number of this SIRET's SIREN (FR, key, SIREN)")
        return vat_number

    @field_validator("fiscal_first_end")
    @classmethod
    def _fiscal_year(cls, end: date, info) -> date:
        start = info.data.get("fiscal_first_start")
        if start is not None:
            try:
                FiscalCalendar(start, end)
            except DomainError as error:
                raise ValueError(error.message) from error
        return end

    @field_validator("reminder_levels")
    @classmethod
    def _increasing(cls, levels: list[ReminderLevel]) -> list[ReminderLevel]:
        delays = [level.days_late for level in levels]
        if delays != sorted(set(delays)):
            raise ValueError("reminder levels come by strictly increasing days_late")
        return levels

    @model_validator(mode="after")
    def _regime_mentions(self) -> Self:
        if self.vat_regime in (VatRegime.STANDARD, VatRegime.MARGIN_SCHEME) and not self.vat_number:
            raise ValueError(f"vat_number: the {self.vat_regime.value} regime needs the issuer's VAT number")
        if self.vat_regime == VatRegime.MARGIN_SCHEME:
            missing = [name for name in ("operator_registration", "guarantor", "insurer") if not getattr(self, name)]
            if missing:
                raise ValueError(f"{', '.join(missing)}: a travel operator's documents print its Atout France "
                                 "registration, financial guarantor and insurer")
        return self

    @property
    def calendar(self) -> "FiscalCalendar":
        return FiscalCalendar(self.fiscal_first_start, self.fiscal_first_end)

    def mentions(self, issuer_id: UUID, version: int) -> Seller:
        """What this version prints on documents."""
        printed = self.model_dump(include=set(Seller.model_fields) - {"time_zone"})
        return Seller(**printed, vat_mention=REGIME_MENTIONS[self.vat_regime], time_zone=ZoneInfo(self.time_zone),
                      issuer_id=issuer_id, issuer_version=version)
