"""The rules of the client record, without I/O."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clients.domain.record import (
    Details,
    InvalidClient,
    ParticipantDetails,
    display_name,
    new_client,
    new_participant,
    revise,
    tidy,
)
from shared.problems import DomainError

TODAY = date(2027, 5, 1)


def fields_in_error(details: Details) -> set[str]:
    with pytest.raises(InvalidClient) as invalid:
        new_client(details)
    return {e.field for e in invalid.value.errors}


def test_names_are_trimmed_and_the_email_lowercased():
    client = new_client(Details(kind="private", last_name="  Martin ", first_name=" Jean   Pierre",
                                email=" Claire.MARTIN@Example.org ", country=" fr"))
    assert (client.last_name, client.first_name) == ("Martin", "Jean Pierre")
    assert client.email == "claire.martin@example.org"
    assert client.country == "FR"


def test_blank_texts_and_address_lines_count_as_absent():
    client = new_client(Details(kind="private", last_name="Martin", civility="  ", address_lines=(" 1 rue A ", "  ")))
    assert client.civility is None
    assert client.address_lines == ("1 rue A",)


def test_a_private_client_needs_a_last_name():
    assert fields_in_error(Details(kind="private", last_name="   ", first_name="Claire")) == {"last_name"}


def test_a_professional_client_needs_a_company_name():
    assert fields_in_error(Details(kind="professional", last_name="Durand")) == {"company_name"}


def test_a_prospect_needs_something_to_be_reached_by():
    assert fields_in_error(Details(kind="prospect")) == {"last_name"}
    assert new_client(Details(kind="prospect", email="curieux@example.org")).email == "curieux@example.org"


def test_a_french_postal_code_has_five_digits_and_a_foreign_one_is_free():
    assert fields_in_error(Details(kind="private", last_name="Martin", postal_code="6900")) == {"postal_code"}
    assert new_client(Details(kind="private", last_name="Peeters", postal_code="1000", country="BE"))


def test_every_broken_rule_is_reported_at_once():
    details = Details(kind="professional", postal_code="ABCDE")
    assert fields_in_error(details) == {"company_name", "postal_code"}


def test_display_name_is_the_company_or_civility_last_first():
    assert display_name(Details(kind="professional", company_name="Mairie de Lyon", last_name="Durand")) == \
        "Mairie de Lyon"
    assert display_name(Details(kind="private", civility="Mme", last_name="Martin", first_name="Claire")) == \
        "Mme MARTIN Claire"
    assert display_name(Details(kind="prospect", email="curieux@example.org")) == "curieux@example.org"


def test_revise_returns_only_what_really_changes():
    current = new_client(Details(kind="private", last_name="Martin", email="c@example.org"))
    assert revise(current, {"last_name": " Martin ", "email": "C@EXAMPLE.ORG"}) == {}
    assert revise(current, {"city": " Lyon "}) == {"city": "Lyon"}


def test_revise_checks_the_resulting_record():
    current = new_client(Details(kind="private", last_name="Martin"))
    with pytest.raises(InvalidClient) as invalid:
        revise(current, {"kind": "professional"})
    assert [e.field for e in invalid.value.errors] == ["company_name"]


def test_a_blocked_client_refuses_every_change_but_unblocking():
    blocked = new_client(Details(kind="private", last_name="Martin", blocked=True))
    for patch in ({"city": "Lyon"}, {"disputed": True}, {"blocked": False, "city": "Lyon"}):
        with pytest.raises(DomainError) as refused:
            revise(blocked, patch)
        assert refused.value.code == "client_blocked"
    assert revise(blocked, {"blocked": False}) == {"blocked": False}
    assert revise(blocked, {"blocked": True}) == {}


def test_a_participant_needs_names_and_a_possible_birth_date():
    with pytest.raises(InvalidClient) as invalid:
        new_participant(ParticipantDetails(last_name=" ", first_name="Léa", birth_date=date(2028, 1, 1)), TODAY)
    assert {e.field for e in invalid.value.errors} == {"last_name", "birth_date"}
    participant = new_participant(ParticipantDetails(last_name=" Martin", first_name="Léa ", birth_date=TODAY), TODAY)
    assert (participant.last_name, participant.first_name) == ("Martin", "Léa")
    assert new_participant(ParticipantDetails(last_name="Martin", first_name="Noé"), TODAY).birth_date is None


@given(st.text())
def test_tidy_is_idempotent_and_leaves_no_outer_or_double_space(text):
    once = tidy(text)
    assert tidy(once) == once
    assert once is None or (once == once.strip() and "  " not in once)
