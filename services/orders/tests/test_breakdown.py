"""The price breakdown, promo codes and the deposit, without I/O: seed 001's summary and seed 004's deposit."""
import uuid
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders.domain import breakdown, pricing
from orders.domain.breakdown import AddOn, Reductions
from orders.domain.deposit import DepositPolicy, deposit_due
from orders.domain.membership import Fee, FeeKind
from orders.domain.promo import Applied, PromoCode, PromoKind, check_usable, discount
from shared.problems import DomainError

LEA, TOM = uuid.uuid4(), uuid.uuid4()


def package(*amounts: str, who=LEA) -> list[tuple[uuid.UUID, pricing.Line]]:
    kinds = [pricing.Kind.STAY, pricing.Kind.TRANSPORT, pricing.Kind.EXTRA]
    return [(who, pricing.Line(kinds[min(i, 2)], f"ligne {i}", 1, Decimal(a))) for i, a in enumerate(amounts)]


def test_the_summary_of_seed_001_package_add_ons_discount_reductions_membership_total():
    lines = package("850.00", "42.00", "120.00") + package("850.00", "50.00", who=TOM)
    result = breakdown.build(
        lines, [AddOn("Assurance annulation", Decimal("35.00"))], Decimal("20.00"),
        Reductions(promo_code=("ETE27", Decimal("50.00")), cashback=Decimal("12.00"), siblings=Decimal("30.00")),
        [Fee(TOM, FeeKind.FAMILY, Decimal("20.00"), "Adhésion familiale")], wallet_balance=Decimal("12.00"))
    assert result.summary() == {"package": Decimal("1912.00"), "add_ons": Decimal("35.00"),
                                "cash_discount": Decimal("-20.00"), "reductions": Decimal("-92.00"),
                                "membership": Decimal("20.00"), "total": Decimal("1855.00")}
    assert [(e.kind, e.amount) for e in result.entries[5:]] == [
        ("add_on", Decimal("35.00")), ("cash_discount", Decimal("-20.00")), ("promo_code", Decimal("-50.00")),
        ("siblings", Decimal("-30.00")), ("cashback", Decimal("-12.00")), ("membership", Decimal("20.00"))]


def test_cashback_beyond_the_wallet_or_reductions_beyond_the_price_are_refused():
    with pytest.raises(DomainError) as wallet:
        breakdown.build(package("850.00"), [], Decimal(0), Reductions(cashback=Decimal("13.00")), [],
                        wallet_balance=Decimal("12.00"))
    assert wallet.value.code == "wallet_insufficient"
    with pytest.raises(DomainError) as beyond:
        breakdown.build(package("100.00"), [], Decimal("60.00"), Reductions(referral=Decimal("41.00")), [])
    assert beyond.value.code == "reductions_exceed_price" and "100.00 €" in beyond.value.message


money = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(st.lists(money, min_size=1, max_size=4), min_size=1, max_size=6), st.lists(money, max_size=3),
       st.lists(st.decimals(min_value=0, max_value=1, places=2), min_size=5, max_size=5),
       st.lists(money, max_size=3))
def test_any_breakdown_sums_exactly_and_never_goes_below_the_membership(people, add_ons, shares, fees):
    lines = [line for amounts in people for line in package(*map(str, amounts), who=uuid.uuid4())]
    stock_add_ons = [(who, pricing.Line(pricing.Kind.ADD_ON, "Frais de dossier", 1, Decimal("20.00")))
                     for who, _ in lines[:3]]
    lines += stock_add_ons
    extras = [AddOn(f"Frais {i}", a) for i, a in enumerate(add_ons)]
    base = breakdown.price_base(lines, extras)
    cash, promo, cashback, siblings, referral = (
        (base * share / 5).quantize(Decimal("0.01"), rounding="ROUND_DOWN") for share in shares)
    result = breakdown.build(lines, extras, cash, Reductions(("CODE", promo), cashback, siblings, referral),
                             [Fee(uuid.uuid4(), FeeKind.INDIVIDUAL, f, "Adhésion") for f in fees], cashback)
    assert result.total == sum(e.amount for e in result.entries)
    assert sum(result.summary()[k] for k in ("package", "add_ons", "cash_discount", "reductions", "membership")) \
        == result.total
    assert result.total >= result.membership
    assert result.add_ons == sum(add_ons, Decimal(0)) + Decimal("20.00") * len(stock_add_ons)
    assert all(e.amount == e.amount.quantize(Decimal("0.01")) for e in result.entries)


def test_a_promo_code_is_an_amount_or_a_percentage_never_more_than_the_price():
    ten = PromoCode("DIX", PromoKind.PERCENT, Decimal("10"))
    assert discount(ten, Decimal("1012.35")) == Decimal("101.24")
    assert discount(PromoCode("CENT", PromoKind.AMOUNT, Decimal("100")), Decimal("80.00")) == Decimal("80.00")


def test_a_modification_takes_a_percentage_code_off_the_new_price_and_keeps_an_amount_off():
    assert Applied("DIX", Decimal("91.20"), Decimal("10")).off(Decimal("904.00")) == Decimal("90.40")
    assert Applied("CINQUANTE", Decimal("50.00")).off(Decimal("904.00")) == Decimal("50.00")


def test_a_promo_code_outside_its_dates_or_used_up_is_refused_with_the_reason():
    code = PromoCode("ETE27", PromoKind.AMOUNT, Decimal("50"), date(2027, 3, 1), date(2027, 6, 30), 2, 0)
    check_usable(code, date(2027, 3, 1))
    check_usable(code, date(2027, 6, 30))
    for day, uses, reason in ((date(2027, 2, 28), 0, "promo_code_not_yet_valid"),
                              (date(2027, 7, 1), 0, "promo_code_expired"),
                              (date(2027, 4, 1), 2, "promo_code_used_up")):
        with pytest.raises(DomainError) as refused:
            check_usable(PromoCode(code.code, code.kind, code.value, code.valid_from, code.valid_until, 2, uses), day)
        assert refused.value.code == reason


POLICY = DepositPolicy(Decimal("30.00"), 30, Decimal("100.00"), other_means_when_late=False)


def test_the_deposit_is_the_normal_percentage_far_from_departure_and_any_means_may_pay_it():
    deposit = deposit_due(POLICY, Decimal("1012.35"), date(2027, 3, 1), date(2027, 7, 10))
    assert (deposit.percent, deposit.amount, deposit.late) == (Decimal("30.00"), Decimal("303.71"), False)
    assert deposit.front_office_means == ("card", "other")


def test_booking_inside_the_threshold_asks_the_late_percentage_and_card_only_unless_allowed():
    late = deposit_due(POLICY, Decimal("900.00"), date(2027, 6, 11), date(2027, 7, 10))
    assert (late.amount, late.late, late.front_office_means) == (Decimal("900.00"), True, ("card",))
    on_the_day = deposit_due(POLICY, Decimal("900.00"), date(2027, 6, 10), date(2027, 7, 10))
    assert not on_the_day.late  # exactly the threshold is not late
    lenient = DepositPolicy(Decimal("30"), 30, Decimal("50"), other_means_when_late=True)
    assert deposit_due(lenient, Decimal("900.00"), date(2027, 7, 1), date(2027, 7, 10)).front_office_means == (
        "card", "other")
