"""The documents' hash chain, verified on demand by an admin (or an accountant)."""
from typing import Annotated

from fastapi import APIRouter, Depends

from billing import integrity
from billing.api.schemas import IntegrityOut
from shared.app import UoW
from shared.auth import Principal, require_roles

router = APIRouter(tags=["integrity"])
Auditor = Annotated[Principal, Depends(require_roles("admin", "accountant"))]


@router.get("/integrity", summary="Verify the hash chain of every issued document, naming the first that breaks it.")
async def verify(uow: UoW, _: Auditor) -> IntegrityOut:
    checked, broken = await integrity.verify(uow)
    return IntegrityOut(checked=checked, holds=broken is None,
                        first_broken=f"{broken.kind} {broken.reference}: {broken.reason}" if broken else None)
