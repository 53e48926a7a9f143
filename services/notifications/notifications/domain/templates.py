"""What an operator may write in each mail template: the variables it receives, documented, and sample values
that the preview and the check before saving render it with."""
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal

from notifications.domain.mails import MailTemplate

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
DEFAULT_LANGUAGE: Language = "fr"
"""A client whose language has no version of a template reads the French one: every template has it."""

COMMON: dict[str, str] = {
    "name": "Whom the mail greets: « Mme Claire Martin », or a company's name.",
    "signature": "The sender's name, which signs the mail.",
    "customer_service": "The customer service address, for questions.",
    "blocks": "The organiser's information blocks (seed 004), by name: `blocks.conditions`; a setting.",
}
SUBJECT_ONLY_IN_BODY = {"subject": "The mail's subject, as rendered (the HTML part's title)."}

_ORDER = {
    "reference": "The order's reference (C-2027-0042).",
    "stay_title": "The stay's title.",
    "start_date": "The departure's first day (a date: `start_date|date`, `start_date|period(end_date)`).",
    "end_date": "The departure's last day.",
    "total": "The order's total (`total|eur`).",
    "amount_paid": "What the client has paid so far (`amount_paid|eur`).",
    "option_expires_at": "An option's deadline, an instant (`option_expires_at|datetime`), or none.",
    "refusal_reason": "Why a booking was refused, or none.",
    "cancellation_fees": "A cancellation's fees, or none.",
    "refund_due": "What a cancellation refunds, or none.",
}
_LINK = {"link": "The secret link the person follows (never kept in the delivery log).",
         "expires_at": "When the link stops working, an instant (`expires_at|datetime`)."}
_ACCOUNT = {"email": "The account's e-mail address.", "front_office_url": "The family portal's address."}

VARIABLES: dict[MailTemplate, dict[str, str]] = {
    **{t: _ORDER for t in (MailTemplate.OPTION_CONFIRMATION, MailTemplate.BOOKING_CONFIRMATION,
                           MailTemplate.BOOKING_REFUSED, MailTemplate.CANCELLATION_CONFIRMATION,
                           MailTemplate.OPTION_EXPIRED)},
    MailTemplate.INVOICE_AVAILABLE: {"reference": "The invoice's number.", "total": "Its total (`total|eur`).",
                                     "issued_at": "When it was issued, an instant (`issued_at|date`)."},
    MailTemplate.TRAVEL_PACK: {
        **{k: _ORDER[k] for k in ("reference", "stay_title", "start_date", "end_date")},
        "title": "The joining instructions' title.", "replaced": "True when they replace earlier ones.",
        "available": "True when the family can download them now.",
        "missing_documents": "The documents still missing (a list of names).",
        "amount_due": "What remains to pay (`amount_due|eur`).",
    },
    MailTemplate.PASSWORD_RESET: {**_LINK, "new_account": "True for an account just opened.",
                                  "email": _ACCOUNT["email"]},
    MailTemplate.ACCOUNT_OPENED: {**_LINK, "new_account": "True for an account just opened.",
                                  "email": _ACCOUNT["email"]},
    MailTemplate.STAFF_PASSWORD: {**_LINK, "new_account": "True for an account just opened.",
                                  "email": _ACCOUNT["email"]},
    MailTemplate.EMAIL_VERIFICATION: _LINK,
    MailTemplate.WELCOME: _ACCOUNT,
    MailTemplate.SIGN_UP_REPEATED: _ACCOUNT,
    MailTemplate.NEWSLETTER_CONFIRMATION: {**_LINK, "email": _ACCOUNT["email"]},
    MailTemplate.OPTION_REMINDER: {k: _ORDER[k] for k in ("reference", "stay_title", "start_date", "end_date", "total",
                                                         "amount_paid", "option_expires_at")},
    MailTemplate.BALANCE_REMINDER: {
        **{k: _ORDER[k] for k in ("reference", "stay_title", "start_date", "end_date", "total", "amount_paid")},
        "amount_due": "What remains to pay (`amount_due|eur`)."},
    MailTemplate.DOCUMENTS_REMINDER: {
        **{k: _ORDER[k] for k in ("reference", "stay_title", "start_date", "end_date")},
        "missing_documents": "The documents still missing (a list of names)."},
}

_SAMPLE_COMMON = {"name": "Mme Claire Martin", "signature": "Colo Vacances",
                  "customer_service": "service-client@colo.local"}
_SAMPLE_ORDER = {
    "reference": "C-2027-0042", "stay_title": "Aventure en Ardèche", "start_date": date(2027, 7, 10),
    "end_date": date(2027, 7, 24), "total": Decimal("850.00"), "amount_paid": Decimal("300.00"),
    "option_expires_at": datetime(2027, 6, 1, 16, 0, tzinfo=UTC), "refusal_reason": "Le départ est complet.",
    "cancellation_fees": Decimal("85.00"), "refund_due": Decimal("215.00"), "amount_due": Decimal("550.00"),
    "missing_documents": ["Fiche sanitaire", "Test d'aisance aquatique"],
}
_SAMPLE_LINK = {"link": "https://colo.example/lien?jeton=exemple", "expires_at": datetime(2027, 6, 2, 8, tzinfo=UTC),
                "new_account": True, "email": "claire.martin@example.fr"}
_SAMPLE_ACCOUNT = {"email": "claire.martin@example.fr", "front_office_url": "https://colo.example"}
_SAMPLES: dict[MailTemplate, dict[str, Any]] = {
    MailTemplate.INVOICE_AVAILABLE: {"reference": "F-2027-00017", "total": Decimal("1234.50"),
                                     "issued_at": datetime(2027, 6, 2, 8, tzinfo=UTC)},
    MailTemplate.TRAVEL_PACK: {**_SAMPLE_ORDER, "title": "Convocation départ Lyon", "replaced": False,
                               "available": True, "missing_documents": ["Fiche sanitaire"],
                               "amount_due": Decimal("550.00")},
    MailTemplate.WELCOME: _SAMPLE_ACCOUNT,
    MailTemplate.SIGN_UP_REPEATED: _SAMPLE_ACCOUNT,
}


def variables(template: MailTemplate) -> dict[str, str]:
    """Every variable the template may use, with what it holds."""
    return {**COMMON, **VARIABLES[template]}


def sample(template: MailTemplate) -> dict[str, Any]:
    """Values for each of the template's variables, as a real mail would carry them."""
    own = _SAMPLES.get(template) or (_SAMPLE_LINK if VARIABLES[template].keys() <= _SAMPLE_LINK.keys()
                                     else _SAMPLE_ORDER)
    return {**_SAMPLE_COMMON, **{k: v for k, v in own.items() if k in VARIABLES[template]}}
