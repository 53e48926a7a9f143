"""Participants' health data, encrypted at rest with keys from configuration (COLO_HEALTH_DATA_KEYS).

Application-level encryption (Fernet: AES-128-CBC with an HMAC-SHA256) so that a database dump, a
replica or a backup never shows a child's allergies or treatments. The first key encrypts, every
key decrypts: adding a new key in first place, then re-encrypting (`rotate`), then removing the old
key rotates them without downtime (docs/operations.md). Health data never goes to logs or events.
"""
import asyncio
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Annotated, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from clients.tables import Participant
from shared.auth import Principal, own_client
from shared.problems import Problem

HEALTH_DATA_PERMISSION = "health_data"


@dataclass(frozen=True)
class HealthData:
    allergies: str | None = None
    treatments: str | None = None
    diet: str | None = None
    medical_notes: str | None = None


class HealthCipher:
    def __init__(self, keys: tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("COLO_HEALTH_DATA_KEYS must hold at least one key")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def seal(self, health: HealthData) -> str:
        return self._fernet.encrypt(json.dumps(asdict(health)).encode()).decode()

    def open(self, token: str) -> HealthData:
        try:
            return HealthData(**json.loads(self._fernet.decrypt(token.encode())))
        except InvalidToken as error:
            raise Problem(503, "health_data_key_missing", "Health data unreadable",
                          "The health data was encrypted with a key this service no longer has.") from error

    def rotate(self, token: str) -> str:
        """The same data encrypted with the first key."""
        return self._fernet.rotate(token.encode()).decode()


@lru_cache(maxsize=4)
def cipher_for(keys: tuple[str, ...]) -> HealthCipher:
    return HealthCipher(keys)


def health_cipher_of(settings: Any) -> HealthCipher:
    return cipher_for(tuple(key.get_secret_value() for key in settings.health_data_keys))


def health_cipher(request: Request) -> HealthCipher:
    return health_cipher_of(request.app.state.settings)


HEALTH_FAMILY = ("client", "legal_guardian")
"""A participant's own family: the client's account holder, and the legal guardians who answer for it. Not a
reseller: a town hall or a works council selling stays is no child's family."""


def health_reader(
    principal: Annotated[Principal, Depends(own_client("admin", "operator", front_office=HEALTH_FAMILY))]
) -> Principal:
    """Health data is read and written by the participant's own family, or by staff holding the health_data
    permission."""
    if principal.role not in HEALTH_FAMILY and HEALTH_DATA_PERMISSION not in principal.perms:
        raise Problem(403, "health_data_forbidden", "Forbidden",
                      "Participants' health data needs the health_data permission.")
    return principal


Cipher = Annotated[HealthCipher, Depends(health_cipher)]
HealthAccess = Annotated[Principal, Depends(health_reader)]


async def rotate(sessions: async_sessionmaker[AsyncSession], cipher: HealthCipher, batch: int = 500) -> int:
    """Re-encrypt every participant's health data with the first key, batch by batch; the count rotated."""
    rotated, last_id = 0, None
    while True:
        async with sessions() as session, session.begin():
            stmt = select(Participant).where(Participant.health_data.isnot(None))
            if last_id is not None:
                stmt = stmt.where(Participant.id > last_id)
            rows = list(await session.scalars(stmt.order_by(Participant.id).limit(batch).with_for_update()))
            for row in rows:
                row.health_data = cipher.rotate(row.health_data)
            if not rows:
                return rotated
            rotated, last_id = rotated + len(rows), rows[-1].id


def main() -> None:
    """`python -m clients.health`: re-encrypt the health data with the first configured key."""
    from clients.app import ClientsSettings
    from shared.db import make_engine

    settings = ClientsSettings()
    if not settings.health_data_keys:
        raise SystemExit("COLO_HEALTH_DATA_KEYS (or COLO_HEALTH_DATA_KEYS_FILE) must list the keys, the new one first.")
    engine = make_engine(settings.database_url)

    async def run() -> int:
        try:
            return await rotate(async_sessionmaker(engine), health_cipher_of(settings))
        finally:
            await engine.dispose()

    print(f"{asyncio.run(run())} participants' health data re-encrypted with the first key.")


if __name__ == "__main__":
    main()
