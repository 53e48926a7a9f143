"""Company identifiers and VAT numbers, with real French examples."""
from decimal import Decimal

import pytest

from clients.domain.identifiers import french_vat_key, luhn_valid, naf_code, siren_error, siret_error, vat_error
from clients.domain.record import Details, InvalidClient, new_client, vat_exempt


@pytest.mark.parametrize("siret", ["73282932000074", "55210055400013", "35600000049837"])
def test_real_sirets_pass(siret):
    assert siret_error(siret) is None


@pytest.mark.parametrize("siret, reason", [
    ("73282932000075", "check key"), ("73282932000047", "check key"), ("7328293200007", "14 digits"),
    ("7328293200007A", "14 digits"), ("35600000049838", "check key"),
])
def test_mistyped_sirets_are_refused_with_the_reason(siret, reason):
    assert reason in siret_error(siret)


def test_siren_has_nine_digits_and_a_luhn_key():
    assert siren_error("732829320") is None
    assert "check key" in siren_error("732829321")
    assert "9 digits" in siren_error("73282932")
    assert luhn_valid("0") and not luhn_valid("1")


def test_naf_codes_are_written_the_usual_way():
    assert naf_code("5520Z") == naf_code("55.20z") == "55.20Z"
    assert naf_code("552Z") is None and naf_code("55.20") is None


def test_vat_numbers_follow_their_state_format_and_the_french_key():
    assert french_vat_key("732829320") == "44"
    assert vat_error("FR44732829320") is None
    assert "key" in vat_error("FR45732829320")
    assert vat_error("BE0123456789") is None and vat_error("DE123456789") is None
    assert "format" in vat_error("DE12345678")
    assert "member state" in vat_error("US123456789")


PRO = {"kind": "professional", "company_name": "Apple France"}


def test_a_professional_record_is_compacted_and_its_identifiers_checked():
    client = new_client(Details(**PRO, siret="732 829 320 00074", siren="732.829.320", vat_number="fr 44 732829320",
                                naf_code="4651z", client_code=" badge-42 "))
    assert (client.siret, client.siren, client.vat_number, client.naf_code) == \
        ("73282932000074", "732829320", "FR44732829320", "46.51Z")
    assert client.client_code == "BADGE-42"


def errors_of(**fields):
    with pytest.raises(InvalidClient) as invalid:
        new_client(Details(**{**PRO, **fields}))
    return {e.field for e in invalid.value.errors}


def test_identifiers_must_agree_with_each_other():
    assert errors_of(siret="55210055400013", siren="732829320") == {"siret"}
    assert errors_of(vat_number="FR44732829320", siren="552100554") == {"vat_number"}
    assert errors_of(siret="73282932000075", naf_code="ABCDE", vat_validated=True) == \
        {"siret", "naf_code", "vat_validated"}


def test_reseller_terms_are_only_for_professionals_and_a_validated_vat_number_exempts():
    assert errors_of(kind="private", last_name="Martin", markup=Decimal("10"), all_offers=True,
                     billing_excluding_tax=True) == {"markup", "all_offers", "billing_excluding_tax"}
    assert vat_exempt(new_client(Details(**PRO, vat_number="FR44732829320", vat_validated=True)))
    assert vat_exempt(new_client(Details(kind="private", last_name="Smith", tax_exempt=True)))
    assert not vat_exempt(new_client(Details(**PRO, vat_number="FR44732829320")))
