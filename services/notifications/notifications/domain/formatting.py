"""French display of dates, times and amounts, as clients read them in their e-mails."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from shared.money import format_eur

PARIS = ZoneInfo("Europe/Paris")
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def _day(d: date) -> str:
    """French writes the first of the month as an ordinal: « 1er juillet »."""
    return "1er" if d.day == 1 else str(d.day)


def french_date(d: date | datetime) -> str:
    """« samedi 10 juillet 2027 »; an instant is first placed in Paris time."""
    if isinstance(d, datetime):
        d = d.astimezone(PARIS).date()
    return f"{DAYS[d.weekday()]} {_day(d)} {MONTHS[d.month - 1]} {d.year}"


def french_datetime(at: datetime) -> str:
    """« mardi 13 juillet 2027 à 18 h 00 », in Paris time: the instant travels in UTC, the client lives in France."""
    local = at.astimezone(PARIS)
    return f"{french_date(local)} à {local.hour} h {local.minute:02d}"


def french_period(start: date, end: date) -> str:
    """« du 10 au 24 juillet 2027 », naming the month and year only where they change."""
    if start.year != end.year:
        first = f"{_day(start)} {MONTHS[start.month - 1]} {start.year}"
    elif start.month != end.month:
        first = f"{_day(start)} {MONTHS[start.month - 1]}"
    else:
        first = _day(start)
    return f"du {first} au {_day(end)} {MONTHS[end.month - 1]} {end.year}"


def french_amount(amount: Decimal) -> str:
    """« 1 234,50 € »."""
    return format_eur(amount)
