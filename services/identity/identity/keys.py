"""The signing keys, read from PEM files: the first signs, every one is published in the JWKS.

Rotation without downtime (docs/operations.md): add the new key last (published, not signing) and wait for the
services' caches to see it; put it first (signing); once the old key's last tokens have expired, remove it.
"""
from pathlib import Path

from shared.auth import SigningKey, jwks_of
from shared.settings import MissingSecrets


class KeyRing:
    def __init__(self, keys: list[SigningKey]) -> None:
        self.keys = keys
        self.signer = keys[0]

    @classmethod
    def load(cls, files: list[Path]) -> "KeyRing":
        """The keys of the files, in their order; none at all (development mode only: the settings refuse to start
        without them otherwise) is one key generated for this process."""
        keys = []
        for path in files:
            try:
                keys.append(SigningKey.from_pem(path.read_bytes()))
            except (OSError, ValueError, TypeError) as error:
                raise MissingSecrets(f"COLO_SIGNING_KEY_FILES names {path}, which is not a readable Ed25519 private "
                                     f"key in PEM: {error}") from error
        return cls(keys or [SigningKey.generate()])

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return jwks_of(*self.keys)
