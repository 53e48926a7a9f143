"""The one source of time. Domain rules and jobs receive a clock; nothing calls datetime.now() directly."""
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """For unit tests: a clock that moves only when told."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class OffsetFileClock:
    """System time plus an offset in seconds read from a file.

    Lets a test or a demo move time for several service processes at once. The file is read at
    every call: a cache keyed on its modification time misses two changes made within one tick of
    the file system's clock (a few milliseconds), which a test moving time twice in a row does.
    """

    def __init__(self, path: Path) -> None:
        self._path = path

    def now(self) -> datetime:
        try:
            text = self._path.read_text().strip()
        except FileNotFoundError:
            return datetime.now(UTC)
        return datetime.now(UTC) + timedelta(seconds=float(text or 0))

    @staticmethod
    def set_offset(path: Path, offset: timedelta) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(str(offset.total_seconds()))
        tmp.replace(path)


def clock_from(clock_file: Path | None) -> Clock:
    return OffsetFileClock(clock_file) if clock_file else SystemClock()
