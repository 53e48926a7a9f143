"""Refresh tokens rotate: each use gives a new one and spends the old. An old one used again means that it was
copied: the whole session (its family of tokens) is revoked, the thief's and the owner's alike (OAuth 2.0 Security
Best Current Practice, refresh token rotation)."""
from datetime import datetime
from enum import StrEnum


class Refresh(StrEnum):
    ROTATE = "rotate"
    REUSED = "reused"
    EXPIRED = "expired"
    REVOKED = "revoked"


def refresh_outcome(used_at: datetime | None, expires_at: datetime, session_revoked: bool, now: datetime) -> Refresh:
    if session_revoked:
        return Refresh.REVOKED
    if used_at is not None:
        return Refresh.REUSED
    if now >= expires_at:
        return Refresh.EXPIRED
    return Refresh.ROTATE
