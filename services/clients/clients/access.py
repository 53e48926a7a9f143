"""Who may read or change a client's data, as the routes declare it: staff, and the client's own front-office
accounts (shared.auth.own_client: another client's ids are unknown to them). The account holder (a family, a
reseller) manages its record; a legal guardian's account sees its own record and the participants it answers for."""
from typing import Annotated

from fastapi import Depends

from shared.auth import HOLDERS, READERS, STAFF, Principal, own_client

FAMILY = (*HOLDERS, "legal_guardian")

HolderReads = Annotated[Principal, Depends(own_client(*READERS))]
HolderWrites = Annotated[Principal, Depends(own_client(*STAFF))]
FamilyReads = Annotated[Principal, Depends(own_client(*READERS, front_office=FAMILY))]
