"""How clients are found: the normalised text a client is searched by, and how a typed query reads.

The database keeps, per client, `search_text` (unaccented lowercase tokens, each preceded by a space,
so that "a token starts with w" is `LIKE '% w%'`) and `phone_digits` (the client's phone numbers in
national form, each preceded by a space); their words are looked up by prefix in clients.search_index.
Accents are folded here, in Python, on both sides, so the database needs no unaccent extension.

The words of the names (last name, first name, company) are in `search_text` twice: as typed, and marked
with `NAME` (`=dupont`), which no typed word starts with, so that a search can rank a name before an address
(`relevance`) without another column.
"""
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from clients.domain.record import Details

PhoneMode = Literal["starts_with", "contains"]
NAME = "="
"""Marks a name's word in `search_text`: `=dupont`."""
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
                           "đ": "d", "Đ": "d"})
TOKEN = re.compile(r"[^\W_]+")
PHONE_RUN = re.compile(r"(?<![^\s,;])(?:(?:\+|0)[\d(][\d().\- ]*\d|\+\d)(?!\w)")
"""A phone typed in any format: begins with + or 0, digits in groups separated by spaces, dots, dashes; a whole
word, so that an id or code starting with digits ("0512ab34-...") stays a word."""


def fold(text: str) -> str:
    """Lowercase without accents or ligatures: "Hélène Œuvray" -> "helene oeuvray"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str) -> list[str]:
    """The folded words of a text, split at anything but letters and digits.

    A word joined by punctuation ("Jean-Pierre", "O'Brien") is also kept whole, so that typing
    it without the punctuation ("obrien") finds it too.
    """
    found = []
    for chunk in fold(text).split():
        parts = TOKEN.findall(chunk)
        found.extend(parts)
        if len(parts) > 1:
            found.append("".join(parts))
    return found


def national_phone(text: str) -> str:
    """The digits of a phone number, a French one in national form: "+33 5 56 57 58 59" -> "0556575859".

    A foreign number keeps its country code's digits ("+32 2 123 45 67" -> "3221234567"), the same
    whether stored or typed, so both sides still compare.
    """
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+") or digits.startswith("00"):
        digits = digits.removeprefix("00")
        if digits.startswith("33"):
            rest = digits[2:]
            return rest if rest.startswith("0") else "0" + rest
    return digits


def phone_numbers(details: Details) -> list[str]:
    phones = (details.mobile, details.landline, details.work_phone)
    return [number for number in (national_phone(p) for p in phones if p) if number]


def search_text(client_id: UUID, details: Details) -> str:
    """Every token a client can be found by: names, company, e-mail, address, postal code, city, phones,
    client code, id."""
    names: Iterable[str | None] = (details.last_name, details.first_name, details.company_name)
    texts: Iterable[str | None] = (
        *names, details.email, *details.address_lines, details.postal_code, details.city, details.client_code,
        str(client_id),
    )
    marked = [NAME + token for text in names if text for token in tokens(text)]
    words = marked + [token for text in texts if text for token in tokens(text)] + phone_numbers(details)
    return "".join(f" {word}" for word in dict.fromkeys(words))


def notes_text(details: Details) -> str:
    """The words of the operators' notes, searched apart from the record (the "keywords" of the search)."""
    return "".join(f" {word}" for word in dict.fromkeys(tokens(details.info or "")))


def phone_digits(details: Details) -> str:
    return "".join(f" {number}" for number in phone_numbers(details))


def sort_name(details: Details) -> str:
    """The key clients are sorted by name with: the last name, else the company, else the e-mail."""
    return fold(details.last_name or details.company_name or details.email or "")


@dataclass(frozen=True)
class Term:
    """One thing typed: a word some token must start with, and/or the digits of a phone number."""

    prefix: str | None
    digits: str | None


def parse_query(query: str) -> list[Term]:
    """The terms of a query: phone numbers in any format first, then the words around them.

    A number of digits alone ("69003", "01000", "0556575859") may be a postal code, an address, an
    id or a phone: it is both a prefix and phone digits.
    """
    terms = [Term(match if match.isdigit() else None, national_phone(match)) for match in PHONE_RUN.findall(query)]
    rest = PHONE_RUN.sub(" ", query)
    for token in TOKEN.findall(fold(rest)):
        terms.append(Term(token, token if token.isdigit() else None))
    return [term for term in dict.fromkeys(terms) if term.prefix or term.digits]


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fragments(term: Term, mode: PhoneMode) -> tuple[str | None, str | None]:
    """What a client's (search_text, phone_digits) hold when the term matches; a client matches either.

    A word start (" dupont"), a phone number's start (" 0556") or, in `contains` mode, its digits ("5657").
    """
    text = f" {term.prefix}" if term.prefix else None
    phone = None
    if term.digits and mode == "starts_with":
        phone = f" {term.digits}"
    elif term.digits and mode == "contains":
        phone = term.digits
    return text, phone


def like_patterns(term: Term, mode: PhoneMode) -> tuple[str | None, str | None]:
    """The LIKE patterns of a term over (search_text, phone_digits); a client matches either."""
    text, phone = fragments(term, mode)
    return (f"%{escape_like(text)}%" if text else None, f"%{escape_like(phone)}%" if phone else None)
