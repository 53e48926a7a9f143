"""Rules of a client's lifecycle: when it may go to the trash, what a prospect becomes when it orders,
what erasure leaves of it and when it is allowed."""
from dataclasses import replace

from clients.domain.record import Details, Kind
from shared.money import Money


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


ANONYMOUS = "Anonyme"


def anonymised(client: Details) -> Details:
    """The record erasure leaves: its kind, type, code, flags, preferences and commercial terms, no personal
    data (names, addresses, phones, e-mail, birth date, company identifiers, notes and messages), a
    placeholder name where the kind requires one."""
    return replace(
        Details(kind=client.kind, country=client.country, recipient_preference=client.recipient_preference,
                disputed=client.disputed, blocked=client.blocked, client_type_id=client.client_type_id,
                dormant=client.dormant, active=client.active, category=client.category,
                client_code=client.client_code, tax_exempt=client.tax_exempt,
                billing_excluding_tax=client.billing_excluding_tax,
                anonymous_accounting_code=client.anonymous_accounting_code,
                permanent_discount_rate=client.permanent_discount_rate, payment_terms=client.payment_terms,
                deferred_payment_allowed=client.deferred_payment_allowed, credit_limit=client.credit_limit,
                markup=client.markup, all_offers=client.all_offers),
        last_name=None if client.kind == "professional" else ANONYMOUS,
        company_name=ANONYMOUS if client.kind == "professional" else None,
    )


def erasure_refusal(balance: Money) -> str | None:
    """Erasure would lose who owes what: the balance must be settled to exactly zero first."""
    if balance == 0:
        return None
    owed = f"the client owes {balance} €" if balance > 0 else f"the client is owed {-balance} €"
    return (f"The balance is not zero ({owed}): settle it first. "
            "The client is kept on the list of clients to settle before erasure.")
