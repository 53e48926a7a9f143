"""The word index of the client search: `client_words`, kept in step with `clients.search_text` and
`phone_digits`, and how a search uses it.

Every word of a client's `search_text` is a row `(created_year, word, client_id, created_at)`, and so is every
phone number of `phone_digits`, marked with a leading `+` (no word has one). "Some word of a client created in
2021 starts with `mich`" is then a range scan of the primary key, and the matches come with their creation
time, so a page sorted by creation is cut before any client row is read. A term's ranges find exactly the
clients its `LIKE` patterns (clients.domain.search.like_patterns) match: a word start in `search_text`, which
holds the phone numbers too, or a number start in `phone_digits`; for `contains`, the trigram index of
`phone_digits` adds the numbers holding the digits anywhere.

How a page is found depends on how common its terms are, by their words counted in the index:
- a single term of `COMMON` words or more (`ta`, `06`): a page of matches is among the first few hundred
  clients in the page's order, so the sort's index is walked and each client checked;
- otherwise the rarest term's clients, joined to the second rarest's unless that one is far commoner
  (`INTERSECTED`, `SHORT`), are sorted and read until the page is full; the other terms are checked on each
  client read. Sorted by creation, when the rarest term has `RANKED` words or more, the clients are looked up
  a few years at a time in the page's order (1 year, then 2, 4...), until the page is full: two common names
  (`Martin Paul`) fill a page within a year or two of their hundred thousand words.

Sorted by relevance (the default of a search), each looked-up term's words also give their rank (`RANKS`): a
name's word (marked `=dupont`, clients.domain.search.NAME) before another word, the term itself before a longer
word; a client's score is the sum of its terms' best ranks, the creation date breaking ties. Without a term checked
on the clients read, the score comes from the index alone, so the clients are sorted on it before any is read: the
pages are read score by score, a low score reading only the words that can give it (`=blot` alone for 0, not the
thousands of `blot...` words of e-mails and streets); past `COMMON` words (`Martin Paul`, `ta`), each score a few
years at a time: the best-scored clients of two common names fill a page within a year. A common term beside a rarer
one (`Michel Capucine`) is checked, and ranked, on each of the rarer one's clients, all read in one query.
"""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from clients.domain.search import NAME, PhoneMode, Term, like_patterns
from clients.tables import Client, ClientWord

COMMON = 20_000
"""Words counted before a term is called common: past it, collecting its matches costs more than walking."""
RANKED = 2_000
"""Words counted per term when a query has several: enough to tell the rare ones, cheap to count."""
INTERSECTED = 30
"""The second rarest term's clients are joined to the rarest's unless it has this many times more words:
then it is checked on the clients the rarest matches, in the page's order, as reading a client costs as much
as reading tens of words. Any further term is checked: two terms rarely leave many clients."""
SHORT = 4
"""A term of fewer characters that reached RANKED words is checked rather than joined: "m" or "sfr" starts
words of a good part of the clients, too many to read, and keeps many of the rarest term's clients."""
PHONE = "+"
"""Marks a phone number's row: `+0556575859`."""
RANKS = ("a name's word is the term", "a name's word starts with it", "another word is it",
         "another word or a phone number starts with it")
"""How well a client's word matches a term, best first; a term's rank for a client is its best word's."""
WORST = len(RANKS) - 1
FILL = ("INSERT INTO client_words (created_year, word, client_id, created_at) "
        "SELECT extract(year FROM created_at AT TIME ZONE 'UTC'), word, id, created_at FROM clients, "
        "LATERAL (SELECT unnest(string_to_array(btrim(search_text), ' ')) "
        "UNION SELECT '+' || unnest(string_to_array(btrim(phone_digits), ' '))) AS words (word) "
        "WHERE word NOT IN ('', '+') ORDER BY 1, word")
"""The rows of every client, from its `search_text` and `phone_digits`: for a bulk load.

Written in the order of the key, so that a range's rows share the few pages of the visibility map that
tell an index-only scan they need no visit: at a million clients, the 49,218 words starting with "berna"
read 38,596 buffers in the order of the clients, 336 in the order of the words."""


@dataclass(frozen=True)
class Lookup:
    """How a search finds its clients: the terms looked up in the word index (none when a single common term
    is checked while walking the sort), the terms checked on each client read, and the years the clients were
    created in, oldest first."""

    looked_up: list[Term]
    checked: list[Term]
    years: list[int]
    yearly: bool = False
    """Whether to look the terms up a few years at a time: when the rarest has RANKED words or more, a page is
    often full before the last year; a rarer one finds few clients, which one query over every year reads."""
    tiered: bool = False
    """Sorted by relevance: whether to read each score's clients a few years at a time, the rarest term having
    COMMON words or more (else over every year at once)."""
    wide: bool = False
    """Sorted by relevance: whether the second term looked up has COMMON words or more: past the names and whole
    words, the two terms' clients are then read score by score, a few years at a time."""
    best: int = 0
    """Sorted by relevance: the lowest score a client could have, from the best rank each looked-up term has in the
    index: the scores below are not looked for."""


def words(search_text: str, phone_digits: str) -> set[str]:
    return set(search_text.split()) | {PHONE + number for number in phone_digits.split()}


def year_of(created_at: datetime) -> int:
    return created_at.astimezone(UTC).year


async def reindex(session: AsyncSession, client_id: UUID, created_at: datetime, previous: set[str],
                  current: set[str]) -> None:
    """Bring the client's rows from its previous words to its current ones: only the words that changed."""
    year = year_of(created_at)
    if gone := previous - current:
        await session.execute(delete(ClientWord).where(ClientWord.created_year == year,
                                                       ClientWord.word.in_(sorted(gone)),
                                                       ClientWord.client_id == client_id))
    if added := current - previous:
        await session.execute(insert(ClientWord), [
            {"created_year": year, "word": word, "client_id": client_id, "created_at": created_at}
            for word in sorted(added)])


async def plan(session: AsyncSession, terms: list[Term], mode: PhoneMode, ranked: bool = False) -> Lookup:
    """Which terms to look up and which to check, from their words counted in the index. Ranked by relevance, the
    terms are counted up to COMMON and a single common term is looked up too, score by score."""
    if not terms:
        return Lookup([], [], [])
    first, last = (await session.execute(select(func.min(Client.created_at), func.max(Client.created_at)))).one()
    if first is None:
        return Lookup([], terms, [])
    years = list(range(year_of(first), year_of(last) + 1))
    counts = dict(zip(terms, await _counts(session, terms, mode, years, ranked), strict=True))
    rarest, *others = sorted(terms, key=lambda term: (counts[term], -len(term.prefix or term.digits or "")))
    if counts[rarest] >= COMMON and not others and not ranked:
        return Lookup([], terms, years)
    rare = [rarest, *(term for term in others[:1] if counts[term] <= counts[rarest] * INTERSECTED
                      and (counts[term] < RANKED or len(term.prefix or term.digits or "") >= SHORT))]
    best = sum((await session.execute(select(*(_best_rank(term, years) for term in rare)))).one()) if ranked else 0
    return Lookup(rare, [term for term in terms if term not in rare], years, yearly=counts[rarest] >= RANKED,
                  tiered=counts[rarest] >= COMMON, wide=len(rare) > 1 and counts[rare[1]] >= COMMON, best=best)


def year_groups(years: list[int], descending: bool, start: int | None) -> Iterator[list[int]]:
    """The years in the page's order from the cursor's, by 1, 2, 4...: few queries for a rare term, and a page
    of common words found without reading their other years."""
    ordered = [year for year in (reversed(years) if descending else years)
               if start is None or (year <= start if descending else year >= start)]
    size = 1
    while ordered:
        yield ordered[:size]
        ordered, size = ordered[size:], size * 2


def narrow(stmt: Select[Any], looked_up: list[Term], mode: PhoneMode, sort: str, years: list[int]
           ) -> tuple[Select[Any], tuple[ColumnElement[Any], ColumnElement[Any]]]:
    """The search joined to the clients of these years its looked-up terms match, with the (created_at, id) to
    sort on them by. For a sort by creation the matches come in its order, so that clients are read only until
    the page is full."""
    if len(looked_up) == 1:
        matched = _candidates(looked_up[0], mode, years)
    else:
        matched = _also_matching(*looked_up, mode=mode, years=years)
    matched = matched.distinct()
    if sort.lstrip("-") == "created_at":
        order = (matched.selected_columns.created_at, matched.selected_columns.client_id)
        matched = matched.order_by(*(key.desc() for key in order) if sort.startswith("-") else order)
    joined = matched.subquery("matched")
    return stmt.join(joined, joined.c.client_id == Client.id), (joined.c.created_at, joined.c.client_id)


def _starts(term: Term, mode: PhoneMode) -> list[str]:
    """The starts of the words the term's clients have: its prefix, its phone digits unless `contains`."""
    starts = [term.prefix] if term.prefix else []
    if term.digits and mode == "starts_with" and term.digits != term.prefix:
        starts.append(PHONE + term.digits)
    return starts


def _in_ranges(starts: list[str], years: list[int]) -> ColumnElement[bool]:
    """The words of these years starting with any of these: a range of the primary key per year, the words
    comparing byte-wise.

    A start has letters, digits and `+` only, none special to LIKE. The planner turns `word LIKE 'mich%'`
    into `word >= 'mich' AND word < 'mici'` and estimates it from the column's histogram; the years are an
    `= ANY` of the key's first column, one descent per year.
    """
    return ClientWord.created_year.in_(years) & _in_ranges_of(starts)


def _candidates(term: Term, mode: PhoneMode, years: list[int]) -> Select[Any]:
    """(client_id, created_at) of the clients of these years the term matches, by its word ranges and phone
    trigrams."""
    parts = []
    if starts := _starts(term, mode):
        parts.append(select(ClientWord.client_id, ClientWord.created_at).where(_in_ranges(starts, years)))
    if mode == "contains" and term.digits:
        since, until = (datetime(year, 1, 1, tzinfo=UTC) for year in (min(years), max(years) + 1))
        parts.append(select(Client.id.label("client_id"), Client.created_at)
                     .where(Client.phone_digits.like(like_patterns(term, mode)[1], escape="\\"),
                            Client.created_at >= since, Client.created_at < until))
    if len(parts) == 1:
        return parts[0]
    either = union(*parts).subquery()
    return select(either.c.client_id, either.c.created_at)


def _also_matching(rarest: Term, other: Term, mode: PhoneMode, years: list[int]) -> Select[Any]:
    """The other term's clients that the rarest term matches too: a semi-join, which hashes the rarest's clients
    and probes them with the other's, where INTERSECT would hash both (about a third slower for `Martin Paul`)."""
    probing, hashed = (_candidates(term, mode, years).subquery() for term in (other, rarest))
    return select(probing.c.client_id, probing.c.created_at).where(probing.c.client_id.in_(select(hashed.c.client_id)))


async def _counts(session: AsyncSession, terms: list[Term], mode: PhoneMode, years: list[int], ranked: bool
                  ) -> list[int]:
    """Per term, its words in the index, counted up to COMMON, or RANKED when there are several terms sorted
    otherwise than by relevance (then the sort's index is not walked: the counts only rank the terms); a
    `contains` phone term counts as rare."""
    cap = COMMON if len(terms) == 1 or ranked else RANKED
    counted = [
        select(func.count()).select_from(select(literal(1)).where(_in_ranges(_starts(term, mode), years))
                                         .limit(cap).subquery()).scalar_subquery()
        if not (mode == "contains" and term.digits) else literal(0)
        for term in terms
    ]
    return list((await session.execute(select(*counted))).one())


def _rank(term: Term) -> ColumnElement[int]:
    """The rank (RANKS) of a word of the index for the term."""
    if not term.prefix:
        return literal(WORST)
    return case((ClientWord.word == NAME + term.prefix, 0), (ClientWord.word.like(f"{NAME}{term.prefix}%"), 1),
                (ClientWord.word == term.prefix, 2), else_=WORST)


def _best_rank(term: Term, years: list[int]) -> ColumnElement[int]:
    """The best rank (RANKS) any client's words have for the term: a probe of the key per rank. The name's prefix is
    a range, not a LIKE: a prepared statement's generic plan keeps a range on the key, not a LIKE's (it scanned
    seconds for an EXISTS)."""
    if not term.prefix:
        return literal(WORST)
    name = NAME + term.prefix
    probes = (ClientWord.word == name, (ClientWord.word >= name) & (ClientWord.word < name[:-1] + chr(ord(name[-1]) + 1)),
              ClientWord.word == term.prefix)
    return case(*((exists().where(ClientWord.created_year.in_(years), probe), rank)
                  for rank, probe in enumerate(probes)), else_=WORST)


def checked_rank(term: Term) -> ColumnElement[int]:
    """The rank (RANKS) of a term checked on the client read rather than looked up, from its `search_text`."""
    if not term.prefix:
        return literal(WORST)
    padded = Client.search_text + " "
    return case((func.strpos(padded, f" {NAME}{term.prefix} ") > 0, 0),
                (func.strpos(Client.search_text, f" {NAME}{term.prefix}") > 0, 1),
                (func.strpos(padded, f" {term.prefix} ") > 0, 2), else_=WORST)


def _ranked_words(term: Term, mode: PhoneMode, level: int) -> ColumnElement[bool]:
    """The words that rank the term `level` or better: `=dupont` for 0, every `=dupont...` for 1, and `dupont`
    for 2, each a range of the key; for WORST, every word the term matches."""
    if not term.prefix:
        return _in_ranges_of(_starts(term, mode)) if level >= WORST and _starts(term, mode) else false()
    names = [ClientWord.word == NAME + term.prefix if level == 0 else ClientWord.word.like(f"{NAME}{term.prefix}%")]
    if level == 2:
        names.append(ClientWord.word == term.prefix)
    if level >= WORST:
        names.append(_in_ranges_of(_starts(term, mode)))
    return or_(*names)


def _in_ranges_of(starts: list[str]) -> ColumnElement[bool]:
    """The words starting with any of these: letters, digits, `+` and `=` only, none special to LIKE."""
    return or_(*(ClientWord.word.like(start + "%") for start in starts))


def _scored(term: Term, mode: PhoneMode, years: list[int], level: int, within: Select[Any] | None = None
            ) -> Select[Any]:
    """(client_id, created_at, rank) of the clients of these years (and `within` these, if given: a semi-join that
    hashes them and probes them with the term's words) the term matches at `level` or better, each with its best
    word's rank; the phone trigrams of `contains` rank WORST."""
    parts = [select(ClientWord.client_id, ClientWord.created_at, _rank(term).label("rank"))
             .where(ClientWord.created_year.in_(years), _ranked_words(term, mode, level))]
    if level >= WORST and mode == "contains" and term.digits:
        since, until = (datetime(year, 1, 1, tzinfo=UTC) for year in (min(years), max(years) + 1))
        parts.append(select(Client.id.label("client_id"), Client.created_at, literal(WORST).label("rank"))
                     .where(Client.phone_digits.like(like_patterns(term, mode)[1], escape="\\"),
                            Client.created_at >= since, Client.created_at < until))
    if within is not None:
        parts = [part.where(part.selected_columns.client_id.in_(within)) for part in parts]
    words = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    return (select(words.c.client_id, words.c.created_at, func.min(words.c.rank).label("rank"))
            .group_by(words.c.client_id, words.c.created_at))


def ranked(lookup: Lookup, mode: PhoneMode, years: list[int], level: int) -> Select[Any]:
    """(client_id, created_at, score) of the clients of these years whose looked-up terms rank `level` or better,
    the score the sum of their ranks, from the index alone: sorted on it, a page reads only its own clients."""
    rarest, *others_terms = lookup.looked_up
    first = _scored(rarest, mode, years, level).subquery("scored_0")
    others = [_scored(term, mode, years, level, select(first.c.client_id)).subquery(f"scored_{i}")
              for i, term in enumerate(others_terms, start=1)]
    query = select(first.c.client_id, first.c.created_at,
                   sum((terms.c.rank for terms in others), first.c.rank).label("score"))
    for terms in others:
        query = query.join(terms, terms.c.client_id == first.c.client_id)
    return query


def worst_score(lookup: Lookup) -> int:
    """The highest score of a client found score by score: only looked-up terms are then scored."""
    return WORST * len(lookup.looked_up)
