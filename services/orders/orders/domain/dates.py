"""Business dates are French dates: a day starts at midnight in Paris, whatever the server's time zone."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris_date(at: datetime) -> date:
    return at.astimezone(PARIS).date()
