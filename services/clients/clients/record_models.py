"""The client record's fields beyond identity, as the API reads and writes them: contact details,
professional identifiers, billing terms, notes. Shared by the create, patch and read models."""
from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

from shared.money import Money

NO_NUL = r"^[^\x00]*$"
Phone = Annotated[str, Field(max_length=30, pattern=r"^\+?[0-9 .()-]{6,30}$", examples=["05 56 57 58 59"])]
ShortText = Annotated[str, Field(max_length=100, pattern=NO_NUL)]
Code = Annotated[str, Field(max_length=50, pattern=NO_NUL)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2, examples=["10.00"])]
FreeText = Annotated[str, Field(max_length=5000, pattern=NO_NUL)]
ClientCode = Annotated[str, Field(max_length=40, pattern=NO_NUL, examples=["3760123456789"],
                                  description="Unique; a readable code (C0000042) is given when none is typed. "
                                              "May be replaced by a badge's barcode.")]
Siret = Annotated[str, Field(max_length=20, pattern=NO_NUL, examples=["732 829 320 00074"])]
Siren = Annotated[str, Field(max_length=15, pattern=NO_NUL, examples=["732 829 320"])]
NafCode = Annotated[str, Field(max_length=10, pattern=NO_NUL, examples=["55.20Z"])]
VatNumber = Annotated[str, Field(max_length=20, pattern=NO_NUL, examples=["FR44732829320"])]
CreditLimit = Annotated[Money, Field(ge=0, examples=["5000.00"], description="Outstanding maximum, in euros.")]

RECORD_FLAGS = ("vat_validated", "tax_exempt", "billing_excluding_tax", "anonymous_accounting_code",
                "permanent_discount_rate", "deferred_payment_allowed", "all_offers")
"""Record fields that always have a value: a patch may leave them out but not null them."""




def not_null(value: object) -> object:
    """For patch fields: left out means unchanged, but null is no value they can take."""
    if value is None:
        raise ValueError("may be left out but not null")
    return value

class RecordIn(BaseModel):
    work_phone: Phone | None = None
    fax: Phone | None = None
    birth_date: date | None = Field(None, examples=["1984-02-29"])
    sales_operator: ShortText | None = Field(None, description="The operator in charge of this client's orders.")
    category: ShortText | None = Field(None, examples=["VIP"])
    internal_code_1: Code | None = Field(None, description="A free code of the organiser's own nomenclature.")
    internal_code_2: Code | None = Field(None, description="A second free code (subscriber number, ...).")
    client_code: ClientCode | None = None
    siret: Siret | None = Field(None, description="14 digits, checked with its Luhn key.")
    siren: Siren | None = Field(None, description="9 digits, checked with its Luhn key.")
    naf_code: NafCode | None = None
    vat_number: VatNumber | None = Field(None, description="Intra-EU VAT number, format checked (and the key of a "
                                                           "French one).")
    vat_validated: bool = Field(False, description="The operator checked the VAT number on the EU's VIES site: "
                                                   "the client is billed without VAT.")
    tax_exempt: bool = Field(False, description="Billed without VAT (a foreign client, ...).")
    billing_excluding_tax: bool = Field(False, description="Documents are computed excluding tax (professionals).")
    accounting_code: Code | None = None
    anonymous_accounting_code: bool = Field(False, description="Booked under the shared anonymous account.")
    permanent_discount_rate: Percent = Decimal("0.00")
    payment_terms: ShortText | None = Field(None, examples=["30 jours fin de mois"])
    deferred_payment_allowed: bool = False
    deferred_payment_terms: FreeText | None = Field(None, description="Printed on the order form.")
    credit_limit: CreditLimit | None = None
    markup: Percent | None = Field(None, description="Percentage applied to a reseller's prices.")
    all_offers: bool = Field(False, description="Reseller: every departure is assigned to it each night.")
    info: FreeText | None = Field(None, description="Operators' free notes, found with the search's keywords.")
    welcome_message: FreeText | None = Field(None, description="Shown to the client at each front-office login.")


class RecordPatch(BaseModel):
    work_phone: Phone | None = None
    fax: Phone | None = None
    birth_date: date | None = None
    sales_operator: ShortText | None = None
    category: ShortText | None = None
    internal_code_1: Code | None = None
    internal_code_2: Code | None = None
    client_code: ClientCode | None = None
    siret: Siret | None = None
    siren: Siren | None = None
    naf_code: NafCode | None = None
    vat_number: VatNumber | None = None
    vat_validated: bool | None = None
    tax_exempt: bool | None = None
    billing_excluding_tax: bool | None = None
    accounting_code: Code | None = None
    anonymous_accounting_code: bool | None = None
    permanent_discount_rate: Percent | None = None
    payment_terms: ShortText | None = None
    deferred_payment_allowed: bool | None = None
    deferred_payment_terms: FreeText | None = None
    credit_limit: CreditLimit | None = None
    markup: Percent | None = None
    all_offers: bool | None = None
    info: FreeText | None = None
    welcome_message: FreeText | None = None

    _always_set = field_validator("client_code", *RECORD_FLAGS)(not_null)


class RecordOut(BaseModel):
    work_phone: str | None
    fax: str | None
    birth_date: date | None
    sales_operator: str | None
    category: str | None
    internal_code_1: str | None
    internal_code_2: str | None
    client_code: str
    siret: str | None
    siren: str | None
    naf_code: str | None
    vat_number: str | None
    vat_validated: bool
    tax_exempt: bool
    vat_exempt: bool = Field(description="Billed without VAT: tax exempt, or a validated intra-EU VAT number.")
    billing_excluding_tax: bool
    accounting_code: str | None
    anonymous_accounting_code: bool
    permanent_discount_rate: Decimal
    payment_terms: str | None
    deferred_payment_allowed: bool
    deferred_payment_terms: str | None
    credit_limit: Money | None
    markup: Decimal | None
    all_offers: bool
    info: str | None
    welcome_message: str | None
    referrer_id: UUID | None = Field(description="The client who referred this one.")
