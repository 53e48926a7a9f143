"""What a reseller owes on the orders sold through it (seed 000: it sells the organiser's stays to its own customers,
at the organiser's price raised by its markup, which is each order's total).

An option, an expired option or a validated order is owed its balance: the total less the payments, third-party
commitments counting as paid as seed 001's settlement counts them; negative when a lowered total was paid beyond.
A cancelled order is owed the part of its cancellation fees not received yet. An order pending, refused or archived
sold nothing and took no payment: nothing is owed.
"""
from decimal import Decimal

from orders.domain.lifecycle import Status
from orders.domain.pricing import balance
from shared.money import quantize

OWING_BALANCE = (Status.OPTION, Status.OPTION_EXPIRED, Status.VALIDATED)


def owed(status: Status, total: Decimal, amount_paid: Decimal, cancellation_fees: Decimal | None,
         received: Decimal) -> Decimal:
    if status in OWING_BALANCE:
        return balance(total, amount_paid)
    if status == Status.CANCELLED:
        return quantize(max((cancellation_fees or Decimal(0)) - received, Decimal(0)))
    return quantize(Decimal(0))
