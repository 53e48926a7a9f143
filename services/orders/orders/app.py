"""Composition of the orders service. Run with `uvicorn --factory orders.app:create`."""
from datetime import timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from pydantic import Field, SecretStr

from orders import (
    api,
    attendance_api,
    cancellation_api,
    card_payments_api,
    documents_api,
    follow_up_api,
    membership_api,
    modifications_api,
    order_pdfs,
    order_pdfs_api,
    payments_api,
    promo_codes_api,
    quotes_api,
    reseller_accounts_api,
    third_party_payers_api,
    travel_packs_api,
    unit_of_work,
)
from orders.gateways import Directory, HttpDirectory
from orders.copies import CopiesDirectory
from orders.handlers import build_handlers
from orders.jobs import lifecycle_jobs, redrive_job
from orders.presentation import Presentation
from orders.stripe_checkout import StripeCheckout
from shared.app import Service, create_app
from shared.clock import Clock, clock_from
from shared.db import UnitOfWork
from shared.http import ServiceToken, service_client
from shared.jobs import Job
from shared.settings import ServiceSettings


class OrdersSettings(ServiceSettings):
    REQUIRED = (*ServiceSettings.REQUIRED, "service_client_secret")
    service_name: str = "orders"
    clients_url: str = "http://127.0.0.1:8001"
    stock_url: str = "http://127.0.0.1:8005"
    option_days: int = 7
    expired_option_days: int = 7
    quote_validity_days: int = 30
    job_interval_seconds: float = 30.0
    pdf_issuer: str = Field("Colo Vacances", description="The organisation named at the top of order PDFs.")
    travel_pack_default_mode: Literal["group", "individual"] = "group"
    document_max_bytes: int = Field(5 * 1024 * 1024, description="Largest document file accepted, in bytes.")
    stuck_after_minutes: float = Field(10, gt=0, description=(
        "An order still pending, or an invoicing request billing has not answered, after this long is announced "
        "again (counted in colo_orders_redriven_total, with an alert in the log)."))
    time_zone: ZoneInfo = Field(ZoneInfo("Europe/Paris"), description=(
        "The organiser's time zone (IANA name): every date and time written for people (workflow log, PDFs) is in it."))

    online_payments: bool = Field(False, description=(
        "Families may pay their deposit or balance by card on Stripe Checkout's hosted page; needs the Stripe secret "
        "key and webhook secret outside development mode."))
    stripe_api_base: str = Field("https://api.stripe.com", description=(
        "Stripe's API; colo-stripe-emulator's (http://127.0.0.1:8090) in development."))
    stripe_secret_key: SecretStr | None = Field(None, description="The Stripe account's secret key (sk_...).")
    stripe_webhook_secret: SecretStr | None = Field(None, description=(
        "The signing secret of the webhook endpoint (whsec_...): only notifications signed with it are believed."))
    front_office_url: str = Field("http://127.0.0.1:8080", description=(
        "The family portal: where the payment page sends the family back, paid or not."))

    def required(self) -> tuple[str, ...]:
        if self.online_payments:
            return (*self.REQUIRED, "stripe_secret_key", "stripe_webhook_secret")
        return self.REQUIRED

    def checkout(self) -> StripeCheckout | None:
        """The card payment provider, when online payments are on (after `require()` filled the secrets)."""
        if not self.online_payments:
            return None
        assert self.stripe_secret_key is not None and self.stripe_webhook_secret is not None
        return StripeCheckout(self.stripe_secret_key.get_secret_value(), self.stripe_webhook_secret.get_secret_value(),
                              self.stripe_api_base, self.http_timeout_seconds)

    def presentation(self) -> Presentation:
        return Presentation(self.pdf_issuer, self.time_zone)


def create(settings: OrdersSettings | None = None, clock: Clock | None = None,
           directory: Directory | None = None) -> FastAPI:
    settings = settings or OrdersSettings()
    clock = clock or clock_from(settings.clock_file)
    unit_of_work.install()
    owners = directory or HttpDirectory(
        service_client(settings.clients_url, settings, token := ServiceToken(settings)),
        service_client(settings.stock_url, settings, token)
    )

    def directory_for(uow: UnitOfWork) -> Directory:
        """A directory given (the tests' stand-in for clients and stock) answers alone; otherwise the copies do,
        asking the owners only for what they do not hold."""
        return directory or CopiesDirectory(uow.session, owners)

    async def close_clients(app: FastAPI) -> None:
        await owners.close()
        if app.state.checkout is not None:
            await app.state.checkout.close()

    service = Service(
        name="orders",
        title="Colo orders",
        description="Bookings through their whole lifecycle: option, validation, invoicing, cancellation, expiry.",
        routers=[api.router, modifications_api.router, quotes_api.router, promo_codes_api.router,
                 membership_api.router, payments_api.router, third_party_payers_api.router,
                 cancellation_api.router, documents_api.router, order_pdfs_api.router, travel_packs_api.router,
                 attendance_api.router, follow_up_api.router, reseller_accounts_api.router,
                 card_payments_api.router],
        handlers=build_handlers(settings.option_days, settings.presentation()),
        jobs=[*lifecycle_jobs(settings.expired_option_days), Job("render_order_pdfs", order_pdfs.render_pending),
              redrive_job(timedelta(minutes=settings.stuck_after_minutes))],
        on_stop=close_clients,
    )
    app = create_app(service, settings, clock)
    app.state.directory_for, app.state.checkout = directory_for, settings.checkout()
    return app
