"""The lifecycle's pure rules: deletion guard, prospect conversion, what erasure leaves, when it is allowed."""
import uuid
from decimal import Decimal

from clients.domain.lifecycle import anonymised, converted_kind, deletion_refusal, erasure_refusal
from clients.domain.record import Details


def test_a_client_with_orders_or_invoices_stays_out_of_the_trash():
    assert deletion_refusal(0, 0) is None
    assert deletion_refusal(1, 0).startswith("This client has 1 order:")
    assert deletion_refusal(2, 3).startswith("This client has 2 orders and 3 invoices or credit notes:")


def test_a_prospect_becomes_private_or_professional_from_what_it_is_known_by():
    assert converted_kind(Details(kind="prospect", last_name="Martin")) == "private"
    assert converted_kind(Details(kind="prospect", last_name="Martin", company_name="CE Martin")) == "private"
    assert converted_kind(Details(kind="prospect", company_name="Mairie de Lyon")) == "professional"
    assert converted_kind(Details(kind="prospect", email="curieux@example.org")) is None


def test_erasure_keeps_kind_type_and_flags_and_nothing_personal():
    type_id = uuid.uuid4()
    client = Details(kind="private", civility="Mme", last_name="Martin", first_name="Claire",
                     email="claire@example.org", mobile="0612345678", address_lines=("3 rue des Lilas",),
                     postal_code="69003", city="Lyon", disputed=True, client_type_id=type_id,
                     recipient_preference="both", inactive_message="Impayé")
    assert anonymised(client) == Details(kind="private", last_name="Anonyme", disputed=True, client_type_id=type_id,
                                         recipient_preference="both")
    assert anonymised(Details(kind="professional", company_name="Mairie de Lyon")).company_name == "Anonyme"


def test_erasure_waits_for_a_balance_of_exactly_zero():
    assert erasure_refusal(Decimal("0.00")) is None
    assert "the client owes 0.01 €" in erasure_refusal(Decimal("0.01"))
    assert "the client is owed 850.00 €" in erasure_refusal(Decimal("-850.00"))
