"""Birthdays in a date range, the year ignored: which days of the year a range covers, and when in it a
person born on a given day celebrates. Someone born on 29 February celebrates on 28 February in the
years that have no 29 February."""
from datetime import date, timedelta

from clients.domain.record import FieldError, InvalidClient


def day_key(day: date) -> int:
    """The day of the year as month * 100 + day: 23 April is 423."""
    return day.month * 100 + day.day


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _a_year_after(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year + 1, 3, 1)
    return date(day.year + 1, day.month, day.day)


def covered_days(start: date, end: date) -> frozenset[int]:
    """The day keys whose birthdays fall between start and end, both included."""
    if end < start:
        raise InvalidClient([FieldError("end", "The range must end on or after its start.")])
    if end >= _a_year_after(start):
        raise InvalidClient([FieldError("end", "A range of birthdays spans at most one year.")])
    keys = set()
    day = start
    while day <= end:
        keys.add(day_key(day))
        if day.month == 2 and day.day == 28 and not is_leap(day.year):
            keys.add(229)
        day += timedelta(days=1)
    return frozenset(keys)


def position(key: int, start: date) -> int:
    """Order of a day key in a range starting at `start`, across the year's end: the start's day is 0."""
    offset = key - day_key(start)
    return offset if offset >= 0 else offset + 10_000


def birthday_in(birth_date: date, start: date, end: date) -> date:
    """The date in the range on which the person celebrates (the range covers their day)."""
    for year in range(start.year, end.year + 1):
        if birth_date.month == 2 and birth_date.day == 29 and not is_leap(year):
            candidate = date(year, 2, 28)
        else:
            candidate = date(year, birth_date.month, birth_date.day)
        if start <= candidate <= end:
            return candidate
    raise ValueError(f"{birth_date} has no birthday between {start} and {end}")
