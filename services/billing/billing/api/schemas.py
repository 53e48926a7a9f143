"""Request and response models of billing's API."""
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from billing.domain.issuers import IssuerSettings, Seller, valid_siren
from billing.domain.vat import VatSummary
from shared.events import Buyer, InvoiceLine
from shared.money import Money

Rate = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2, examples=["20.00"])]
Price = Annotated[Money, Field(ge=Decimal("-99999999.99"), le=Decimal("99999999.99"), examples=["35.00"])]
Code = Annotated[str, Field(pattern=r"^[A-Z]{1,4}$", examples=["LCR"],
                            description="Starts the issuer's series (LCRF2026); the master entity has none.")]


class IssuerIn(IssuerSettings):
    is_master: bool = Field(False, description="The master entity: there is one, its series have no code.")
    code: Code | None = None
    organiser_id: UUID | None = Field(None, description="The organiser whose stays this issuer invoices.")
    invoices_all_stays: bool = Field(True, description="Master entity: it invoices every stay, or lets each "
                                                       "organiser with an issuer invoice its own.")

    def settings(self) -> IssuerSettings:
        return IssuerSettings.model_validate(self.model_dump(include=set(IssuerSettings.model_fields)))


class IssuerChange(IssuerSettings):
    invoices_all_stays: bool = True

    def settings(self) -> IssuerSettings:
        return IssuerSettings.model_validate(self.model_dump(include=set(IssuerSettings.model_fields)))


class IssuerOut(BaseModel):
    id: UUID
    code: str
    is_master: bool
    organiser_id: UUID | None
    invoices_all_stays: bool
    version: int = Field(description="Bumped by each change; a document names the version it printed.")
    updated_at: datetime
    settings: IssuerSettings
    printed: Seller = Field(description="What documents issued from now on print.")


class IssuerVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    version: int
    settings: IssuerSettings
    created_at: datetime
    created_by: str


class FiscalYearOut(BaseModel):
    starts_on: date
    ends_on: date
    closed: bool
    closed_at: datetime | None = None
    closed_by: str | None = None


class BillableServiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Adhésion familiale 2026"])
    unit_price: Price
    vat_rate: Rate | None = Field(None, description="None: the issuer's default rate.")
    active: bool = True


class BillableServiceOut(BillableServiceIn):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    unit_price: Money
    created_at: datetime


class BuyerIn(BaseModel):
    """The client invoiced, with its record's tax flags."""

    model_config = ConfigDict(extra="forbid")
    client_id: UUID
    name: str = Field(min_length=1, max_length=200, pattern=r"\S", examples=["Comité d'entreprise Alpha"])
    address_lines: list[Annotated[str, Field(max_length=200)]] = Field([], max_length=4)
    postal_code: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=100)
    country: str = Field("FR", pattern=r"^[A-Z]{2}$")
    email: str | None = Field(None, max_length=200)
    siren: str | None = Field(None, examples=["552 100 554"], description="9 digits whose key checks.")
    vat_number: str | None = Field(None, max_length=20, pattern=r"^[A-Z]{2}[0-9A-Z+*. ]{2,16}$",
                                   examples=["DE136695976"])
    vat_exempt: bool = False
    intra_eu_professional: bool = Field(False, description="Its VAT number checked: reverse charge.")

    @model_validator(mode="after")
    def _checked(self) -> Self:
        if self.siren and not valid_siren(self.siren):
            raise ValueError(f"siren: '{self.siren}' is not a SIREN (9 digits whose key checks)")
        if self.intra_eu_professional and not self.vat_number:
            raise ValueError("vat_number: an intra-EU professional is billed with reverse charge on its VAT number")
        return self

    def buyer(self) -> Buyer:
        return Buyer.model_validate(self.model_dump())


class ServiceLineIn(BaseModel):
    """A configured billable service, or a free line."""

    model_config = ConfigDict(extra="forbid")
    service_id: UUID | None = Field(None, description="A billable service: its label, price and rate.")
    label: str | None = Field(None, min_length=1, max_length=300, pattern=r"\S")
    unit_price: Price | None = None
    vat_rate: Rate | None = None
    quantity: int = Field(1, ge=1, le=10_000)

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if self.service_id is None and (self.label is None or self.unit_price is None):
            raise ValueError("a free line needs its label and unit_price (or name a service_id)")
        if self.service_id is not None and (self.label is not None or self.unit_price is not None):
            raise ValueError("a service line takes its label and price from the service: give only its quantity")
        return self

    def line(self) -> InvoiceLine:
        assert self.label is not None and self.unit_price is not None
        return InvoiceLine(label=self.label, quantity=self.quantity, unit_price=self.unit_price,
                           amount=self.unit_price * self.quantity, vat_rate=self.vat_rate)


class ServiceInvoiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    issuer_id: UUID | None = Field(None, description="None: the master entity.")
    buyer: BuyerIn
    lines: list[ServiceLineIn] = Field(min_length=1, max_length=100)


class CreditedLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    index: int = Field(ge=0, description="The invoice's line, from 0.")
    quantity: int = Field(ge=1)


class PartialCreditIn(BaseModel):
    """Some lines of the invoice, or an amount."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500, pattern=r"\S", examples=["Annulation du transport"])
    lines: list[CreditedLine] | None = Field(None, min_length=1, max_length=100)
    amount: Price | None = Field(None, gt=0)
    vat_rate: Rate | None = Field(None, description="The rate the amount is credited at, when the invoice has several.")

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if (self.lines is None) == (self.amount is None):
            raise ValueError("give either lines or amount")
        return self


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    reference: str = Field(examples=["F2026-00001"])
    series: str = Field(examples=["F2026"])
    number: int
    issuer_id: UUID | None = Field(description="None for documents issued before issuers existed.")
    order_id: UUID | None = Field(description="None for a service invoice.")
    order_reference: str | None
    client_id: UUID
    total: Money = Field(description="Tax included: what the buyer owes, or is credited.")
    vat: VatSummary | None = Field(description="Totals excluding tax, VAT per rate, the regime's mention; None "
                                               "for documents issued before VAT.")
    lines: list[InvoiceLine]
    buyer: Buyer
    seller: Seller
    issued_at: datetime
    pdf_ready: Annotated[bool, BeforeValidator(lambda rendered_at: rendered_at is not None)] = Field(
        validation_alias="rendered_at", description="The PDF is rendered and stored."
    )


class InvoiceOut(DocumentOut):
    amount_paid: Money = Field(description="What the order had paid when the invoice was issued.")
    kind: Literal["order", "cancellation", "service"] = Field(
        description="order: the booking's invoice; cancellation: the fees of a cancelled booking (same series); "
                    "service: services sold to a client without an order.")


class CreditNoteOut(DocumentOut):
    invoice_id: UUID
    invoice_reference: str = Field(examples=["F2026-00001"])
    reason: str


class EntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    on: date
    kind: Literal["invoice", "credit_note", "payment"]
    reference: str
    label: str
    debit: Money
    credit: Money
    balance: Money = Field(description="The client's balance after this entry: positive, the client owes.")


class AgedOut(BaseModel):
    not_due: Money
    days_1_30: Money
    days_31_60: Money
    days_61_90: Money
    over_90: Money


class StatementOut(BaseModel):
    client_id: UUID
    at: date
    hide_settled: bool
    entries: list[EntryOut]
    balance: Money = Field(description="What the client owes at the date (negative: what it is owed).")
    aged: AgedOut


class AgedBalanceOut(AgedOut):
    client_id: UUID
    name: str
    total: Money


class ReminderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    client_id: UUID
    invoice_reference: str = Field(description="The debt's oldest unpaid invoice.")
    level: int
    kind: Literal["friendly", "firm", "formal_notice"]
    text: str
    balance: Money
    order_ids: list[UUID]
    sent_at: datetime


class IntegrityOut(BaseModel):
    checked: int = Field(description="Documents whose hash was verified.")
    holds: bool
    first_broken: str | None = Field(None, examples=["invoice F2026-00042"],
                                     description="The first document that breaks the chain, and why.")
