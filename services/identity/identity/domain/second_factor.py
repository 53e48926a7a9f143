"""The optional second factor of staff: a TOTP code (RFC 6238, 30 s steps) from an authenticator app.

A code is accepted one step early or late (clock drift of the phone), and never twice: the step it matched is kept,
and a code of that step or an older one is refused, so that a code seen over a shoulder cannot be replayed.
"""
from datetime import datetime

import pyotp

ISSUER = "Colo"
DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str) -> str:
    """What the authenticator app scans (as a QR code) or reads."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step the code belongs to, or None when it is wrong or already used."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    code = code.strip().replace(" ", "")
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if (last_step is None or step > last_step) and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None
