"""Client types: categories an operator configures on top of the three base kinds, with their flags."""
from dataclasses import dataclass, replace

from clients.domain.record import FieldError, InvalidClient, Kind, tidy


@dataclass(frozen=True)
class ClientTypeDetails:
    """What an operator sets on a client type (Configuration > Gestion > Type client)."""

    name: str
    kind: Kind
    front_office_account_allowed: bool = False
    front_office_ordering_allowed: bool = True
    documents_despite_incomplete_file: bool = False
    individual_membership_only: bool = False
    no_membership_on_group_orders: bool = False
    legal_guardian_accounts: bool = False


def new_client_type(details: ClientTypeDetails) -> ClientTypeDetails:
    """The type to store, its name tidied; InvalidClient when the name is blank."""
    name = tidy(details.name)
    if not name:
        raise InvalidClient([FieldError("name", "A client type needs a name.")])
    return replace(details, name=name)
