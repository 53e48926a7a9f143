"""Composition of the billing service. Run with `uvicorn --factory billing.app:create`."""
from datetime import date

from fastapi import FastAPI

from billing import api, handlers, reminders
from billing.domain.issuers import IssuerSettings, VatRegime
from shared.app import Service, create_app
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.jobs import Job
from shared.settings import ServiceSettings

DEMO_ISSUER = IssuerSettings(
    name="Colo Vacances", legal_form="SAS", share_capital="10 000 €", address_lines=["12 rue des Colonies"],
    postal_code="69001", city="Lyon", siret="900 000 001 00017", rcs="RCS Lyon 900 000 001",
    vat_number="FR68900000001", vat_regime=VatRegime.MARGIN_SCHEME, bank_name="Banque des Colonies",
    iban="FR76 3000 6000 0112 3456 7890 189", bic="AGRIFRPP", operator_registration="IM069100001",
    guarantor="APST, 15 avenue Carnot, 75017 Paris", insurer="Hiscox, 19 rue Louis le Grand, 75002 Paris",
    fiscal_first_start=date(2024, 1, 1), fiscal_first_end=date(2024, 12, 31),
)
"""The master entity of a development platform: a made-up travel operator whose numbers pass their checks."""


class BillingSettings(ServiceSettings):
    """Issuers are set through the API (POST /issuers), not here: outside development mode, billing starts without
    one and issues nothing until an admin has set the master entity."""

    service_name: str = "billing"

    def demo_issuer(self) -> IssuerSettings | None:
        """The issuer a development platform gets at its first document when none is set; none in production."""
        return DEMO_ISSUER if self.environment == "development" else None


async def _send_reminders(uow: UnitOfWork) -> None:
    await reminders.run(uow)


def create(settings: BillingSettings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or BillingSettings()
    settings.require()
    service = Service(
        name="billing",
        title="Colo billing",
        description="Issuers and their legal mentions; invoices and credit notes with gapless numbers, their VAT "
                    "and their PDFs.",
        routers=[api.router],
        handlers=handlers.build(settings.demo_issuer()),
        jobs=[Job("send_reminders", _send_reminders)],
    )
    return create_app(service, settings, clock)
