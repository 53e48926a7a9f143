"""How clients are searched: folding, tokens, phone numbers and the reading of a typed query, without I/O."""
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from clients.domain.record import Details
from clients.domain.search import (
    Term,
    escape_like,
    fold,
    like_patterns,
    national_phone,
    parse_query,
    phone_digits,
    search_text,
    sort_name,
    tokens,
)

CLIENT_ID = UUID("7ffc519e-3b62-48ca-8cb3-a3672ed9741f")
HELENE = Details(kind="private", last_name="Dupont-Lefèvre", first_name="Hélène", email="helene.d@example.org",
                 mobile="+33 6 12 34 56 78", landline="05.56.57.58.59", address_lines=("12 rue de l'Œuvre",),
                 postal_code="69003", city="Lyon")


def test_fold_drops_accents_ligatures_and_case():
    assert fold("Hélène ÇA Œuvre Æther Straße") == "helene ca oeuvre aether strasse"


def test_tokens_split_at_punctuation_and_keep_joined_words_whole():
    assert tokens("Jean-Pierre O'Brien") == ["jean", "pierre", "jeanpierre", "o", "brien", "obrien"]
    assert tokens("  ") == []


def test_every_phone_format_gives_the_national_digits():
    for typed in ("0556575859", "05.56.57.58.59", "05 56 57 58 59", "05-56-57-58-59", "+33 5 56 57 58 59",
                  "+33556575859", "0033 5 56 57 58 59", "+33 (0)5 56 57 58 59"):
        assert national_phone(typed) == "0556575859", typed
    assert national_phone("+32 2 123 45 67") == "3221234567"


@given(st.from_regex(r"[1-9][0-9]{8}", fullmatch=True), st.sampled_from(["", " ", ".", "-"]))
def test_a_french_number_reads_the_same_in_every_format(subscriber, separator):
    pairs = [subscriber[i:i + 2] for i in range(1, 9, 2)]
    national = separator.join(["0" + subscriber[0], *pairs])
    international = " ".join(["+33", subscriber[0], *pairs])
    assert national_phone(national) == national_phone(international) == "0" + subscriber
    assert parse_query(national)[0].digits == parse_query(international)[0].digits == "0" + subscriber


@given(st.text())
def test_fold_is_idempotent_and_tokens_are_folded(text):
    assert fold(fold(text)) == fold(text)
    assert all(token == fold(token) and token.isalnum() for token in tokens(text))


def test_the_search_text_holds_every_searchable_field_as_space_led_tokens():
    text = search_text(CLIENT_ID, HELENE)
    for token in ("dupont", "lefevre", "dupontlefevre", "helene", "example", "12", "oeuvre", "69003", "lyon",
                  "0612345678", "0556575859", "7ffc519e", "7ffc519e3b6248ca8cb3a3672ed9741f"):
        assert f" {token} " in text + " ", token
    assert phone_digits(HELENE) == " 0612345678 0556575859"
    assert sort_name(HELENE) == "dupont-lefevre"
    assert sort_name(Details(kind="professional", company_name="École Saint-Exupéry")) == "ecole saint-exupery"


def test_a_query_reads_words_in_any_order_and_phones_in_any_format():
    assert parse_query("Dupont 69003") == [Term("dupont", None), Term("69003", "69003")]
    assert parse_query("05 56 57 58 59 hélène") == [Term(None, "0556575859"), Term("helene", None)]
    assert parse_query("+33 5 56") == [Term(None, "0556")]
    assert parse_query("0556575859") == [Term("0556575859", "0556575859")]
    assert parse_query("01000") == [Term("01000", "01000")]
    assert parse_query("jean-pierre") == [Term("jean", None), Term("pierre", None)]
    assert parse_query(" %_ ") == []
    assert parse_query("0512ab34-07d4-4b1a-9e3c-0123456789ab") == [
        Term("0512ab34", None), Term("07d4", None), Term("4b1a", None), Term("9e3c", None), Term("0123456789ab", None)]


def test_like_patterns_look_for_a_token_start_or_a_phone_start_or_anywhere_in_a_phone():
    assert like_patterns(Term("dupont", None), "starts_with") == ("% dupont%", None)
    assert like_patterns(Term("5657", "5657"), "starts_with") == ("% 5657%", "% 5657%")
    assert like_patterns(Term("5657", "5657"), "contains") == ("% 5657%", "%5657%")
    assert like_patterns(Term(None, "0556"), "contains") == (None, "%0556%")
    assert escape_like("100%_\\") == "100\\%\\_\\\\"
