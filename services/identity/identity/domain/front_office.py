"""Who may have a front-office account and who may log in with one, from what clients says of the client and its
type (seeds 000 and 003). Pure rules over identity's copy of clients' data.

A client type says whether its clients may have an account, order online (otherwise they are sent to customer
service, and their login is refused with that message) and give their legal guardians accounts; a client without a
type may have an account and order, not give its guardians one. An inactive client is refused with its own message;
a blocked one, a client in the trash or anonymised, always.
"""
from dataclasses import dataclass
from uuid import UUID

from identity.domain.accounts import LoginRefused
from shared.problems import DomainError

CUSTOMER_SERVICE = ("La commande en ligne n'est pas ouverte pour votre compte : contactez notre service client pour "
                    "poursuivre votre réservation.")
NO_ACCOUNTS = "Les comptes en ligne ne sont pas ouverts pour votre compte : contactez notre service client."
INACTIVE = "Votre compte est désactivé : contactez notre service client."
BLOCKED = "Votre compte est bloqué : contactez notre service client."
GONE = "Ce compte n'existe plus."
NOT_READY = "Votre compte est en cours de création : réessayez dans un instant."
NOT_VERIFIED = ("Confirmez d'abord votre adresse e-mail avec le lien que nous vous avons envoyé ; vous pouvez en "
                "demander un nouveau.")


@dataclass(frozen=True)
class TypeFlags:
    account_allowed: bool = True
    ordering_allowed: bool = True
    guardian_accounts: bool = False


NO_TYPE = TypeFlags()


@dataclass(frozen=True)
class Guardian:
    guardian_id: UUID
    name: str
    email: str | None


@dataclass(frozen=True)
class Standing:
    """The client as clients last announced it."""

    kind: str
    active: bool = True
    inactive_message: str | None = None
    blocked: bool = False
    deleted: bool = False
    anonymised: bool = False


def login_refusal(role: str, client: Standing | None, flags: TypeFlags) -> LoginRefused | None:
    """Why a front-office account may not log in now, None when it may; the message is for the person."""
    if client is None:
        return LoginRefused("account_not_ready", NOT_READY)
    if client.deleted or client.anonymised:
        return LoginRefused("account_disabled", GONE)
    if client.blocked:
        return LoginRefused("client_blocked", BLOCKED)
    if not client.active:
        return LoginRefused("account_inactive", client.inactive_message or INACTIVE)
    if not flags.account_allowed or (role == "legal_guardian" and not flags.guardian_accounts):
        return LoginRefused("front_office_account_forbidden", NO_ACCOUNTS)
    if not flags.ordering_allowed:
        return LoginRefused("front_office_ordering_forbidden", CUSTOMER_SERVICE)
    return None


def ensure_may_have_account(role: str, client: Standing, flags: TypeFlags, email: str | None) -> None:
    """What staff giving an account must respect: the type's flags, a reseller is a professional, a login e-mail."""
    if client.deleted or client.anonymised:
        raise DomainError("client_unavailable", "This client is in the trash or anonymised: it can have no account.")
    if client.blocked:
        raise DomainError("client_blocked", "This client is blocked: unblock it first.")
    if not flags.account_allowed:
        raise DomainError("front_office_account_forbidden", "This client's type does not allow front-office accounts.")
    if role == "legal_guardian" and not flags.guardian_accounts:
        raise DomainError("guardian_accounts_disabled",
                          "This client's type does not enable legal-guardian accounts: change the type first.")
    if role == "reseller" and client.kind != "professional":
        raise DomainError("not_a_reseller", "Only a professional client can have a reseller account.")
    if not email:
        raise DomainError("email_required", "A front-office account logs in with an e-mail: give the person one "
                                            "in its record first.")


def person_name(civility: str | None, last_name: str, first_name: str | None) -> str:
    """How clients names a person: "Civility LAST First"."""
    return " ".join(part for part in (civility, last_name.upper(), first_name) if part)
