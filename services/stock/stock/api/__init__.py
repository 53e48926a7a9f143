"""HTTP routes of the stock service: parse, authorise, call one use case, commit."""
from fastapi import APIRouter

from stock.api import catalogue, offers, organisers, reports, resellers, stays

router = APIRouter()
for part in (organisers, stays, catalogue, offers, resellers, reports):
    router.include_router(part.router)
