"""Who receives a client's e-mail, and under which name."""
from collections.abc import Sequence


def display_name(
    kind: str, last_name: str, first_name: str | None, civility: str | None, company_name: str | None
) -> str:
    """A company is addressed by its name; a person as « Mme Claire Martin »."""
    if kind == "professional" and company_name:
        return company_name
    return " ".join(part for part in (civility, first_name, last_name) if part)


def recipients(
    client_email: str | None, customer_service_address: str, preference: str = "client",
    guardian_emails: Sequence[str] = (),
) -> list[str]:
    """Whom the client chose to receive its e-mails: itself, its legal guardians, or both.

    Asked for its guardians without any guardian e-mail, the client itself receives them; with no
    address at all, the customer service address does, so that an advisor can pass the message on.
    """
    own = [client_email] if client_email else []
    chosen = {"client": own, "legal_guardian": list(guardian_emails) or own,
              "both": own + list(guardian_emails)}[preference]
    return list(dict.fromkeys(chosen)) or [customer_service_address]


def copies(contact_emails: Sequence[str], to: Sequence[str]) -> list[str]:
    """The client's contacts, in copy of every transactional e-mail, unless they already receive it."""
    return [email for email in dict.fromkeys(contact_emails) if email not in to]


def archive_copies(archive_copy_address: str | None) -> list[str]:
    """Every e-mail goes in blind copy to the archive address, when the organiser has set one."""
    return [archive_copy_address] if archive_copy_address else []
