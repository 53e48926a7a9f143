"""A family signed up on the front office and proved its e-mail (identity's `identity.sign_up.verified`): its client
is created with the id identity gave it, a prospect until its first order (seed 000), with its consents. The family
itself is the author of the record in the account history."""
from clients import consent_services, history, services
from clients.domain.record import Details, display_name
from clients.tables import Client
from shared.db import UnitOfWork
from shared.events import Envelope, SignUpVerified
from shared.logging import log


async def on_sign_up_verified(uow: UnitOfWork, sign_up: SignUpVerified, _: Envelope) -> None:
    if await uow.session.get(Client, sign_up.client_id) is not None:
        log.info("clients.sign_up_already_applied", client_id=str(sign_up.client_id))
        return
    details = Details(kind="prospect", civility=sign_up.civility, last_name=sign_up.last_name,
                      first_name=sign_up.first_name, email=sign_up.email, mobile=sign_up.mobile,
                      address_lines=tuple(sign_up.address_lines), postal_code=sign_up.postal_code, city=sign_up.city,
                      country=sign_up.country)
    family = history.Actor(str(sign_up.account_id), "client", display_name(details), sign_up.email)
    with history.acting_as(family):
        client = await services.create_client(uow, details, sign_up.client_id)
        await consent_services.answer(uow, client.id, {"newsletter": sign_up.newsletter_consent,
                                                       "partner_offers": sign_up.partner_offers_consent},
                                      "front_office", str(sign_up.account_id))
        await uow.session.flush()  # the history is written at flush: while the family is the actor
