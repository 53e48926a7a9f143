"""Composition of the billing service. Run with `uvicorn --factory billing.app:create`."""
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from pydantic import Field, field_validator

from billing import api, handlers
from billing.domain.documents import Seller, valid_siret
from shared.app import Service, create_app
from shared.clock import Clock
from shared.settings import ServiceSettings

DEMO_SELLER = Seller(
    name="Colo Vacances", legal_form="SAS", address_lines=["12 rue des Colonies"], postal_code="69001", city="Lyon",
    country="France", siret="900 000 001 00017", rcs="RCS Lyon 900 000 001", share_capital="10 000 €",
    vat_number="FR68900000001", vat_mention="Régime particulier – Agences de voyages",
    payment_terms="paiement à réception de la facture. Pas d'escompte pour paiement anticipé.",
    late_penalties=("En cas de retard de paiement, des pénalités sont exigibles au taux de trois fois le taux "
                    "d'intérêt légal (article L441-10 du Code de commerce)."),
    recovery_indemnity=("Indemnité forfaitaire pour frais de recouvrement due par le client professionnel en cas de "
                        "retard de paiement : 40 € (article D441-5 du Code de commerce)."),
)
"""The seller of a development platform: a made-up company whose numbers pass their checks."""


class BillingSettings(ServiceSettings):
    """The master entity's legal mentions (`COLO_SELLER_*`), printed on every document issued from now on.

    A seller's identity has no default: outside development mode, billing does not start without it."""

    REQUIRED = (*ServiceSettings.REQUIRED, "seller_name", "seller_address_lines", "seller_postal_code",
                "seller_city", "seller_siret")
    service_name: str = "billing"
    seller_name: str = ""
    seller_legal_form: str = Field("", description="SAS, SARL, association...")
    seller_address_lines: list[str] = []
    seller_postal_code: str = ""
    seller_city: str = ""
    seller_country: str = "France"
    seller_siret: str = Field("", description="14 digits, checked with their key.")
    seller_rcs: str = Field("", description="e.g. 'RCS Lyon 900 000 001'; empty for an association.")
    seller_share_capital: str = Field("", description="e.g. '10 000 €'; empty when there is none.")
    seller_vat_number: str = Field("", description="Intra-EU VAT number; empty if none.")
    seller_vat_mention: str = Field(
        "", description="VAT regime or exemption mention, e.g. 'TVA non applicable, article 261-7-1° du CGI'.")
    seller_payment_terms: str = DEMO_SELLER.payment_terms
    seller_late_penalties: str = DEMO_SELLER.late_penalties
    seller_recovery_indemnity: str = DEMO_SELLER.recovery_indemnity
    seller_invoice_text: str = Field("", description="Free text printed at the foot of invoices and credit notes.")
    time_zone: ZoneInfo = Field(ZoneInfo("Europe/Paris"), description=(
        "The master entity's time zone (IANA name): the issue date printed on documents and the year of their series "
        "are its day; each document keeps the one it was issued with."))

    @field_validator("seller_siret")
    @classmethod
    def _checked(cls, siret: str) -> str:
        if siret and not valid_siret(siret):
            raise ValueError(f"'{siret}' is not a SIRET: 14 digits whose key checks")
        return siret

    def development_value(self, name: str) -> Any:
        if name.startswith("seller_"):
            return getattr(DEMO_SELLER, name.removeprefix("seller_"))
        return super().development_value(name)

    def seller(self) -> Seller:
        prefix = "seller_"
        return Seller(**{name.removeprefix(prefix): value for name, value in self if name.startswith(prefix)},
                      time_zone=self.time_zone)


def create(settings: BillingSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or BillingSettings()
    settings.require()
    service = Service(
        name="billing",
        title="Colo billing",
        description="Invoices and credit notes with gapless numbers, and their PDFs.",
        routers=[api.router],
        handlers=handlers.build(settings.seller()),
    )
    return create_app(service, settings, clock)
