"""HTTP routes of the identity service: parse, authorise, call one use case, commit."""
from fastapi import APIRouter

from identity.api import discovery, me, password_resets, tokens, users

router = APIRouter()
for part in (tokens, discovery, me, users, password_resets):
    router.include_router(part.router)
