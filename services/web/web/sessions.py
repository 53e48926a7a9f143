"""Server-side sessions: the browser holds only a random id (HttpOnly, Secure, SameSite=Lax cookie); the user's
tokens from identity and the CSRF token stay in this process.

Kept in memory: a restart logs everyone out, and replicas of the web application need sticky sessions at the
gateway. Nothing else is lost, since the web application owns no data."""
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import jwt

COOKIE = "colo_session"


@dataclass
class Session:
    id: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    access_token: str | None = None
    refresh_token: str | None = None
    claims: dict[str, Any] = field(default_factory=dict)
    seen: float = field(default_factory=time.monotonic)

    @property
    def role(self) -> str | None:
        return self.claims.get("role")

    @property
    def staff(self) -> bool:
        return self.role in {"admin", "operator", "accountant", "manager"}

    @property
    def family(self) -> bool:
        return self.role in {"client", "legal_guardian"}

    def may(self, permission: str) -> bool:
        return permission in self.claims.get("perms", [])

    def signed_in(self, access_token: str, refresh_token: str | None) -> None:
        """The claims are read for display and navigation only: every service checks the token's signature."""
        self.access_token, self.refresh_token = access_token, refresh_token
        self.claims = jwt.decode(access_token, options={"verify_signature": False})


class Sessions:
    def __init__(self, idle_seconds: float) -> None:
        self.idle_seconds = idle_seconds
        self._sessions: dict[str, Session] = {}

    def get(self, session_id: str | None) -> Session | None:
        session = self._sessions.get(session_id or "")
        now = time.monotonic()
        if session is None or now - session.seen > self.idle_seconds:
            self._sessions.pop(session_id or "", None)
            return None
        session.seen = now
        return session

    def __len__(self) -> int:
        return len(self._sessions)

    def alive(self, session_id: str) -> bool:
        return session_id in self._sessions

    def new(self) -> Session:
        self._forget_idle()
        session = Session(secrets.token_urlsafe(32))
        self._sessions[session.id] = session
        return session

    def renew(self, old: Session) -> Session:
        """A new id at login, so that an id planted before it (session fixation) gets nothing."""
        self._sessions.pop(old.id, None)
        return self.new()

    def end(self, session: Session) -> None:
        self._sessions.pop(session.id, None)

    def _forget_idle(self) -> None:
        now = time.monotonic()
        for key in [k for k, s in self._sessions.items() if now - s.seen > self.idle_seconds]:
            del self._sessions[key]
