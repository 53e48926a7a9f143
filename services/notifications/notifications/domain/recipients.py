"""Who receives a client's e-mail, and under which name."""


def display_name(
    kind: str, last_name: str, first_name: str | None, civility: str | None, company_name: str | None
) -> str:
    """A company is addressed by its name; a person as « Mme Claire Martin »."""
    if kind == "professional" and company_name:
        return company_name
    return " ".join(part for part in (civility, first_name, last_name) if part)


def recipients(client_email: str | None, customer_service_address: str) -> list[str]:
    """The client's own address; a client without one is served through the customer service address,
    so that an advisor can pass the message on by other means."""
    return [client_email] if client_email else [customer_service_address]


def by_preference(preference: str, client_email: str | None, guardian_emails: list[str],
                  customer_service_address: str) -> list[str]:
    """The client, the legal guardians or both, as the client's record says; without a guardian's address the
    client is written to, so that nobody is left uninformed."""
    chosen = []
    if preference in ("client", "both") or not guardian_emails:
        chosen += recipients(client_email, customer_service_address)
    if preference in ("legal_guardian", "both"):
        chosen += guardian_emails
    return list(dict.fromkeys(chosen))


def archive_copies(archive_copy_address: str | None) -> list[str]:
    """Every e-mail goes in blind copy to the archive address, when the organiser has set one."""
    return [archive_copy_address] if archive_copy_address else []
