"""HTTP routes of the identity service: parse, authorise, call one use case, commit."""
from fastapi import APIRouter

from identity.api import accounts, discovery, me, password_resets, sign_ups, tokens, users

router = APIRouter()
for part in (tokens, discovery, me, users, accounts, sign_ups, password_resets):
    router.include_router(part.router)
