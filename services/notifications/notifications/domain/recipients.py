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


def archive_copies(archive_copy_address: str | None) -> list[str]:
    """Every e-mail goes in blind copy to the archive address, when the organiser has set one."""
    return [archive_copy_address] if archive_copy_address else []
