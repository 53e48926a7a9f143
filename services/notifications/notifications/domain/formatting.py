"""French and English display of dates, times and amounts, as clients read them in their e-mails: an instant on the
organiser's clock (its time zone, a setting), a calendar day as it is."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from shared.money import format_eur, quantize

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


EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def english_date(d: date) -> str:
    """« Saturday 10 July 2027 »."""
    return f"{EN_DAYS[d.weekday()]} {d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def english_day(at: datetime, time_zone: ZoneInfo) -> str:
    return english_date(at.astimezone(time_zone).date())


def english_datetime(at: datetime, time_zone: ZoneInfo) -> str:
    """« Tuesday 13 July 2027 at 18:00 » on the organiser's clock."""
    local = at.astimezone(time_zone)
    return f"{english_date(local.date())} at {local.hour}:{local.minute:02d}"


def english_period(start: date, end: date) -> str:
    """« from 10 to 24 July 2027 », naming the month and year only where they change."""
    if start.year != end.year:
        first = f"{start.day} {EN_MONTHS[start.month - 1]} {start.year}"
    elif start.month != end.month:
        first = f"{start.day} {EN_MONTHS[start.month - 1]}"
    else:
        first = str(start.day)
    return f"from {first} to {end.day} {EN_MONTHS[end.month - 1]} {end.year}"


def english_amount(amount: Decimal) -> str:
    """« €1,234.50 »."""
    return f"€{quantize(amount):,.2f}"
