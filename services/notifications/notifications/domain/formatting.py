"""French display of dates, times and amounts, as clients read them in their e-mails: an instant on the
organiser's clock (its time zone, a setting), a calendar day as it is."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from shared.money import format_eur

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def _day(d: date) -> str:
    """French writes the first of the month as an ordinal: « 1er juillet »."""
    return "1er" if d.day == 1 else str(d.day)


def french_date(d: date) -> str:
    """« samedi 10 juillet 2027 »."""
    return f"{DAYS[d.weekday()]} {_day(d)} {MONTHS[d.month - 1]} {d.year}"


def french_day(at: datetime, time_zone: ZoneInfo) -> str:
    """The organiser's day of an instant: 31 December 23:30 UTC is « samedi 1er janvier 2028 » in Paris."""
    return french_date(at.astimezone(time_zone).date())


def french_datetime(at: datetime, time_zone: ZoneInfo) -> str:
    """« mardi 13 juillet 2027 à 18 h 00 » on the organiser's clock: the instant travels in UTC."""
    local = at.astimezone(time_zone)
    return f"{french_date(local.date())} à {local.hour} h {local.minute:02d}"


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
