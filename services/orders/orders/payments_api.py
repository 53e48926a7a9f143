"""HTTP routes of payments: immediate payments and third-party commitments, their collection, the order's
settlement with each legal guardian's share, and the batches (cheque deposits, exports, transfers) that lock them."""
from datetime import date, datetime
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from orders import payments, services
from orders.domain.payments import DEFERRED_METHOD, BatchKind, Collection, shares
from orders.patching import Clearable, Patch
from orders.snapshot import Snapshot
from orders.tables import Payment, PaymentBatch
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.idempotency import IdempotencyKey, once
from shared.money import Money
from shared.pagination import Cursor, Limit, Page, keyset_page

router = APIRouter(tags=["payments"])

Method = Literal["transfer", "cheque", "cash", "card", "holiday_vouchers", "third_party"]


class PaymentIn(BaseModel):
    amount: Money = Field(gt=0, examples=["250.00"])
    method: Method = Field(examples=["cheque"], description="`third_party` is a deferred payment (funding commitment).")
    third_party_payer_id: UUID | None = Field(None, description="Required for `third_party`, refused otherwise.")
    participant_id: UUID | None = Field(None, description="The participant whose legal guardian paid.")
    label: str = Field("", max_length=200, description="Who pays, as written on the cheque or transfer.")
    bank: str = Field("", max_length=100, description="The bank the payment is cashed on.")
    received_on: date | None = Field(None, description="Day the money arrived; today (Paris) if absent.")
    note: str = Field("", max_length=500)


class PaymentChange(Patch):
    """Null unlinks the participant or clears the day received."""

    amount: Money | None = Field(None, gt=0)
    participant_id: Clearable[UUID] = None
    label: str | None = Field(None, max_length=200)
    bank: str | None = Field(None, max_length=100)
    received_on: Clearable[date] = None
    note: str | None = Field(None, max_length=500)


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    order_id: UUID
    amount: Money
    method: str
    deferred: bool
    third_party_payer_id: UUID | None
    participant_id: UUID | None
    label: str
    bank: str
    collection: Collection = Field(description="received; pending (commitment not collected yet); unpaid.")
    received_on: date | None
    note: str
    received_at: datetime = Field(description="When the payment was recorded.")
    recorded_by: str
    batch_id: UUID | None
    locked: bool
    provider_reference: str | None = Field(
        description="A card payment made online: the provider's id of the payment (Stripe's payment intent).")

    @classmethod
    def of(cls, payment: Payment) -> "PaymentOut":
        return cls.model_validate({**{k: getattr(payment, k) for k in cls.model_fields
                                      if k not in ("deferred", "locked")},
                                   "deferred": payment.method == DEFERRED_METHOD, "locked": payment.batch_id is not None})


class CollectionIn(BaseModel):
    outcome: Literal["received", "unpaid"]
    received_on: date | None = Field(None, description="Day the third party's money arrived; today if absent.")


class ShareOut(BaseModel):
    participant_id: UUID
    first_name: str
    last_name: str
    legal_guardian_id: UUID | None = Field(description="The guardian chosen for the participant on the order.")
    legal_guardian_name: str | None
    share: Money = Field(description="The participant's lines and their part of the order's own lines (add-ons "
                                     "typed for the order, discount, reductions), in proportion to their lines; "
                                     "owed by their legal guardian. The shares sum to the total.")
    paid: Money = Field(description="The payments naming the participant, up to the share, and the part of the "
                                    "others (naming nobody, or paying beyond a share) that covers what it still "
                                    "owes; they sum to what the payments cover.")
    balance: Money


class SettlementOut(BaseModel):
    total: Money
    immediate: Money
    deferred: Money = Field(description="Third-party commitments not declared unpaid.")
    pending_collection: Money = Field(description="Commitments not yet collected.")
    received: Money
    balance: Money = Field(description="Total minus immediate minus deferred.")
    settled: bool
    shares: list[ShareOut]


class BatchIn(BaseModel):
    kind: BatchKind
    reference: str = Field(min_length=1, max_length=100, examples=["Remise n° 42"])
    bank: str = Field("", max_length=100)
    payment_ids: list[UUID] = Field(min_length=1, max_length=500)


class BatchOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    kind: BatchKind
    reference: str
    bank: str
    total: Money
    created_at: datetime
    created_by: str


class BatchDetailOut(BatchOut):
    payments: list[PaymentOut]


@router.post("/orders/{order_id}/payments", status_code=201,
             summary="Record a payment or a third-party commitment; an option becomes validated.")
async def record_payment(order_id: UUID, body: PaymentIn, uow: UoW, principal: Staff, key: IdempotencyKey = None):
    async def pay() -> PaymentOut:
        draft = payments.Draft(**dict(body))
        return PaymentOut.of(await payments.record_payment(uow, order_id, draft, principal.sub))

    return await once(uow, key, f"orders:pay:{order_id}", pay)


@router.get("/orders/{order_id}/payments", summary="The order's payments, oldest first.")
async def list_payments(order_id: UUID, uow: Snapshot, _: BackOffice, limit: Limit = 50, cursor: Cursor = None
                        ) -> Page[PaymentOut]:
    await services.get_order(uow, order_id)
    stmt = select(Payment).where(Payment.order_id == order_id)
    rows, next_cursor = await keyset_page(uow.session, stmt, Payment.received_at, Payment.id, limit, cursor)
    return Page(items=[PaymentOut.of(r) for r in rows], next_cursor=next_cursor)


@router.patch("/orders/{order_id}/payments/{payment_id}", summary="Correct a payment not locked in a batch.")
async def update_payment(order_id: UUID, payment_id: UUID, body: PaymentChange, uow: UoW, principal: Staff
                         ) -> PaymentOut:
    payment = await payments.update_payment(uow, order_id, payment_id, body.changes(), principal.sub)
    await uow.commit()
    return PaymentOut.of(payment)


@router.delete("/orders/{order_id}/payments/{payment_id}", status_code=204,
               summary="Delete a payment recorded by mistake, unless a batch locks it.")
async def delete_payment(order_id: UUID, payment_id: UUID, uow: UoW, principal: Staff) -> Response:
    await payments.delete_payment(uow, order_id, payment_id, principal.sub)
    await uow.commit()
    return Response(status_code=204)


@router.post("/orders/{order_id}/payments/{payment_id}/collection",
             summary="A third party's commitment was collected, or declared unpaid (the client then owes it).")
async def collect(order_id: UUID, payment_id: UUID, body: CollectionIn, uow: UoW, principal: Staff) -> PaymentOut:
    payment = await payments.collect_commitment(uow, order_id, payment_id, Collection(body.outcome),
                                                body.received_on, principal.sub)
    await uow.commit()
    return PaymentOut.of(payment)


@router.get("/orders/{order_id}/settlement",
            summary="What is paid, committed, pending collection and due, and each legal guardian's share.")
async def settlement(order_id: UUID, uow: Snapshot, _: BackOffice) -> SettlementOut:
    order = await services.get_order(uow, order_id)
    entries = [payments.entry_of(p) for p in await payments.payments_of(uow, order_id)]
    summary = payments.summarise(order.total, entries)
    people = {p.participant_id: p for p in order.participants}
    return SettlementOut(
        total=summary.total, immediate=summary.immediate, deferred=summary.deferred,
        pending_collection=summary.pending_collection, received=summary.received, balance=summary.balance,
        settled=summary.settled,
        shares=[ShareOut(participant_id=s.participant_id, first_name=people[s.participant_id].first_name,
                         last_name=people[s.participant_id].last_name,
                         legal_guardian_id=people[s.participant_id].legal_guardian_id,
                         legal_guardian_name=people[s.participant_id].legal_guardian_name, share=s.share, paid=s.paid,
                         balance=s.balance)
                for s in shares(list(people), [(line.participant_id, line.amount) for line in order.lines], entries)],
    )


@router.post("/payment-batches", status_code=201,
             summary="A cheque deposit, an accounting export or a transfer: its payments become locked.")
async def create_batch(body: BatchIn, uow: UoW, principal: BackOffice, key: IdempotencyKey = None):
    async def create() -> BatchDetailOut:
        batch, held = await payments.create_batch(uow, body.kind, body.reference, body.bank,
                                                  list(dict.fromkeys(body.payment_ids)), principal.sub)
        return BatchDetailOut(**BatchOut.model_validate(batch).model_dump(), payments=[PaymentOut.of(p) for p in held])

    return await once(uow, key, "orders:payment-batch", create)


@router.get("/payment-batches", summary="Cheque deposits, exports and transfers, oldest first.")
async def list_batches(uow: Snapshot, _: BackOffice, kind: BatchKind | None = None, limit: Limit = 50,
                       cursor: Cursor = None) -> Page[BatchOut]:
    stmt = select(PaymentBatch)
    if kind is not None:
        stmt = stmt.where(PaymentBatch.kind == kind)
    rows, next_cursor = await keyset_page(uow.session, stmt, PaymentBatch.created_at, PaymentBatch.id, limit, cursor)
    return Page(items=[BatchOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/payment-batches/{batch_id}", summary="One batch with its payments.")
async def get_batch(batch_id: UUID, uow: Snapshot, _: BackOffice) -> BatchDetailOut:
    batch, held = await payments.batch_payments(uow, batch_id)
    return BatchDetailOut(**BatchOut.model_validate(batch).model_dump(), payments=[PaymentOut.of(p) for p in held])
