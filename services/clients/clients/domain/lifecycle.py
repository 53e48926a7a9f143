"""Rules of a client's lifecycle: when it may go to the trash, what a prospect becomes when it orders."""
from clients.domain.record import Details, Kind


def deletion_refusal(orders: int, documents: int) -> str | None:
    """Why the client may not be deleted, None when it may: orders and invoices must keep their client."""
    held = [f"{count} {one if count == 1 else many}" for count, one, many in
            ((orders, "order", "orders"), (documents, "invoice or credit note", "invoices or credit notes")) if count]
    if not held:
        return None
    return (f"This client has {' and '.join(held)}: it cannot be deleted. "
            "Mark it dormant to hide it from searches instead.")


def converted_kind(prospect: Details) -> Kind | None:
    """The kind a prospect takes with its first order: professional when it is known by its company only,
    private when it has a last name; None when it has neither (known by its e-mail), left to the operator."""
    if prospect.company_name and not prospect.last_name:
        return "professional"
    if prospect.last_name:
        return "private"
    return None
