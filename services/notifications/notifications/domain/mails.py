"""Which e-mail each event causes, and the subject each template is shipped with."""
from enum import StrEnum

from shared import events
from shared.auth import FRONT_OFFICE_ROLES


class MailTemplate(StrEnum):
    OPTION_CONFIRMATION = "option_confirmation"
    BOOKING_CONFIRMATION = "booking_confirmation"
    BOOKING_REFUSED = "booking_refused"
    CANCELLATION_CONFIRMATION = "cancellation_confirmation"
    OPTION_EXPIRED = "option_expired"
    INVOICE_AVAILABLE = "invoice_available"
    TRAVEL_PACK = "travel_pack"
    PASSWORD_RESET = "password_reset"
    ACCOUNT_OPENED = "account_opened"
    STAFF_PASSWORD = "staff_password"
    EMAIL_VERIFICATION = "email_verification"
    WELCOME = "welcome"
    SIGN_UP_REPEATED = "sign_up_repeated"
    NEWSLETTER_CONFIRMATION = "newsletter_confirmation"
    OPTION_REMINDER = "option_reminder"
    BALANCE_REMINDER = "balance_reminder"
    DOCUMENTS_REMINDER = "documents_reminder"


TEMPLATE_OF_EVENT: dict[str, MailTemplate] = {
    events.OrderOptioned.TYPE: MailTemplate.OPTION_CONFIRMATION,
    events.OrderValidated.TYPE: MailTemplate.BOOKING_CONFIRMATION,
    events.OrderRefused.TYPE: MailTemplate.BOOKING_REFUSED,
    events.OrderCancelled.TYPE: MailTemplate.CANCELLATION_CONFIRMATION,
    events.OrderOptionExpired.TYPE: MailTemplate.OPTION_EXPIRED,
    events.InvoiceIssued.TYPE: MailTemplate.INVOICE_AVAILABLE,
    events.TravelPackAttached.TYPE: MailTemplate.TRAVEL_PACK,
    events.EmailVerificationRequested.TYPE: MailTemplate.EMAIL_VERIFICATION,
    events.SignUpVerified.TYPE: MailTemplate.WELCOME,
    events.SignUpRepeated.TYPE: MailTemplate.SIGN_UP_REPEATED,
    events.NewsletterSubscriptionRequested.TYPE: MailTemplate.NEWSLETTER_CONFIRMATION,
}
ACCOUNT_PASSWORD_TEMPLATES = (MailTemplate.PASSWORD_RESET, MailTemplate.ACCOUNT_OPENED, MailTemplate.STAFF_PASSWORD)
"""What identity's password link becomes: it depends on the account (see `account_password_template`)."""

SUBJECTS: dict[MailTemplate, str] = {
    MailTemplate.OPTION_CONFIRMATION: "Votre option pour « {{ stay_title }} » est enregistrée (commande {{ reference }})",
    MailTemplate.BOOKING_CONFIRMATION: "Votre réservation pour « {{ stay_title }} » est confirmée (commande {{ reference }})",
    MailTemplate.BOOKING_REFUSED: "Votre demande pour « {{ stay_title }} » n'a pas pu être retenue (commande {{ reference }})",
    MailTemplate.CANCELLATION_CONFIRMATION: (
        "Annulation de votre réservation pour « {{ stay_title }} » (commande {{ reference }})"
    ),
    MailTemplate.OPTION_EXPIRED: "Votre option pour « {{ stay_title }} » a expiré (commande {{ reference }})",
    MailTemplate.INVOICE_AVAILABLE: "Votre facture {{ reference }} est disponible",
    MailTemplate.TRAVEL_PACK: "Votre convocation pour « {{ stay_title }} » (commande {{ reference }})",
    MailTemplate.PASSWORD_RESET: "Choisissez votre nouveau mot de passe",
    MailTemplate.ACCOUNT_OPENED: "Votre espace client est ouvert : choisissez votre mot de passe",
    MailTemplate.STAFF_PASSWORD: "Colo : choisissez votre mot de passe",
    MailTemplate.EMAIL_VERIFICATION: "Confirmez votre adresse e-mail pour activer votre espace client",
    MailTemplate.WELCOME: "Bienvenue dans votre espace client",
    MailTemplate.SIGN_UP_REPEATED: "Une inscription a été demandée avec votre adresse e-mail",
    MailTemplate.NEWSLETTER_CONFIRMATION: "Confirmez votre inscription à notre lettre d'information",
    MailTemplate.OPTION_REMINDER: "Votre option pour « {{ stay_title }} » arrive à échéance (commande {{ reference }})",
    MailTemplate.BALANCE_REMINDER: "Solde à régler avant le départ pour « {{ stay_title }} » (commande {{ reference }})",
    MailTemplate.DOCUMENTS_REMINDER: "Documents manquants avant le départ pour « {{ stay_title }} » "
                                     "(commande {{ reference }})",
}
"""The French subjects the templates were shipped with (Jinja2, as operators edit them): their first versions."""


def template_for(event_type: str) -> MailTemplate:
    return TEMPLATE_OF_EVENT[event_type]


def account_password_template(role: str | None, new_account: bool) -> MailTemplate:
    """A family, a legal guardian or a reseller chooses its password on the front office, a new account with a word
    of welcome; a staff user on the back office."""
    if role in FRONT_OFFICE_ROLES:
        return MailTemplate.ACCOUNT_OPENED if new_account else MailTemplate.PASSWORD_RESET
    return MailTemplate.STAFF_PASSWORD


SECRET_PLACEHOLDER = "@@secret-link@@"
"""Stands in the stored bodies for a secret (a password reset link): the delivery log, read by
operators, never shows it; the mailer puts the secret back at sending time."""
