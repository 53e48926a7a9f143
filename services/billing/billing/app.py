"""Composition of the billing service. Run with `uvicorn --factory billing.app:create`."""
from fastapi import FastAPI
from pydantic import Field

from billing import api, handlers
from billing.domain.documents import Seller
from shared.app import Service, create_app
from shared.clock import Clock
from shared.settings import ServiceSettings


class BillingSettings(ServiceSettings):
    """The master entity's legal mentions (`COLO_SELLER_*`), printed on every document issued from now on."""

    service_name: str = "billing"
    seller_name: str = "Colo Vacances"
    seller_legal_form: str = "SAS"
    seller_address_lines: list[str] = ["12 rue des Colonies"]
    seller_postal_code: str = "69001"
    seller_city: str = "Lyon"
    seller_country: str = "France"
    seller_siret: str = "123 456 789 00012"
    seller_rcs: str = "RCS Lyon 123 456 789"
    seller_share_capital: str = "10 000 €"
    seller_vat_number: str = Field("FR32123456789", description="Intra-EU VAT number; empty if none.")
    seller_vat_mention: str = Field(
        "Régime particulier – Agences de voyages",
        description="VAT regime or exemption mention, e.g. 'TVA non applicable, article 261-7-1° du CGI'.",
    )
    seller_payment_terms: str = "paiement à réception de la facture. Pas d'escompte pour paiement anticipé."
    seller_late_penalties: str = (
        "En cas de retard de paiement, des pénalités sont exigibles au taux de trois fois le taux "
        "d'intérêt légal (article L441-10 du Code de commerce)."
    )
    seller_recovery_indemnity: str = (
        "Indemnité forfaitaire pour frais de recouvrement due par le client professionnel en cas de retard "
        "de paiement : 40 € (article D441-5 du Code de commerce)."
    )
    seller_invoice_text: str = Field("", description="Free text printed at the foot of invoices and credit notes.")

    def seller(self) -> Seller:
        prefix = "seller_"
        return Seller(**{name.removeprefix(prefix): value for name, value in self if name.startswith(prefix)})


def create(settings: BillingSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or BillingSettings()
    service = Service(
        name="billing",
        title="Colo billing",
        description="Invoices and credit notes with gapless numbers, and their PDFs.",
        routers=[api.router],
        handlers=handlers.build(settings.seller()),
    )
    return create_app(service, settings, clock)
