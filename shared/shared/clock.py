"""The one source of time. Domain rules and jobs receive a clock; nothing calls datetime.now() directly."""
import os
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

    Lets a test or a demo move time for several service processes at once; the file is re-read
    only when its modification time changes.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._mtime: float | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        try:
            mtime = os.stat(self._path).st_mtime
        except FileNotFoundError:
            return datetime.now(UTC)
        if mtime != self._mtime:
            text = self._path.read_text().strip()
            self._offset = timedelta(seconds=float(text or 0))
            self._mtime = mtime
        return datetime.now(UTC) + self._offset

    @staticmethod
    def set_offset(path: Path, offset: timedelta) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(str(offset.total_seconds()))
        tmp.replace(path)


def clock_from(clock_file: Path | None) -> Clock:
    return OffsetFileClock(clock_file) if clock_file else SystemClock()
