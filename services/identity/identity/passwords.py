"""argon2 hashes of passwords, computed in a worker thread: hashing takes tens of milliseconds on purpose. Secrets
that are random (refresh tokens, reset links, services' client secrets) need no slow hash: SHA-256 suffices."""
import asyncio
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("an account that does not exist")
"""Checked when no account matches, so that an unknown login takes as long as a wrong password."""


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(HASHER.hash, password)


async def verify_password(hashed: str | None, password: str) -> bool:
    def verify() -> bool:
        try:
            return HASHER.verify(hashed or DUMMY_HASH, password) and hashed is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_secret(secret: str, expected_hash: str) -> bool:
    return hmac.compare_digest(token_hash(secret), expected_hash.lower())
