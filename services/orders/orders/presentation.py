"""How orders writes for people: the organisation its PDFs name, and the organiser's time zone every date and time
it writes is in (workflow log lines, PDFs). APIs give instants in ISO 8601 with their offset instead."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Presentation:
    issuer: str
    time_zone: ZoneInfo

    def day(self, at: datetime) -> str:
        """« 02/03/2027 »: the organiser's day of an instant."""
        return f"{at.astimezone(self.time_zone):%d/%m/%Y}"

    def moment(self, at: datetime) -> str:
        """« 02/03/2027 à 00:30 »: an instant on the organiser's clock."""
        return f"{at.astimezone(self.time_zone):%d/%m/%Y à %H:%M}"
