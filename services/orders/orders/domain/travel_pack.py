"""The travel pack (seed 001): joining instructions for a departure (group) or for one order (individual).

Group instructions attached to a departure reach every booking of that date, whatever its mode. An order
switched from group to individual keeps showing the group instructions and may get its own as well; switched
from individual to group, its own instructions are removed. The client may download the pack only when the
order is settled and its file complete, unless the client's type allows it anyway; otherwise they are told
what is missing.
"""
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from shared.money import format_eur
from shared.problems import DomainError


class Mode(StrEnum):
    GROUP = "group"
    INDIVIDUAL = "individual"


@dataclass(frozen=True)
class Access:
    available: bool
    missing_documents: tuple[str, ...] = ()
    amount_due: Decimal = Decimal("0.00")

    def refusal(self) -> str:
        """Why the client cannot download it, in the words of the seed's e-mail."""
        reasons = []
        if self.missing_documents:
            reasons.append(f"les formalités suivantes sont manquantes : {', '.join(self.missing_documents)}")
        if self.amount_due > 0:
            reasons.append(f"{format_eur(self.amount_due)} restent à régler")
        return "Votre convocation est disponible, mais vous ne pouvez pas encore y accéder : " + " ; ".join(reasons) + "."


def access(settled: bool, balance: Decimal, file_complete: bool, missing: list[str], allowed_by_type: bool) -> Access:
    if allowed_by_type or (settled and file_complete):
        return Access(True)
    return Access(False, tuple(missing) if not file_complete else (), max(balance, Decimal("0.00")) if not settled
                  else Decimal("0.00"))


def available(shown: bool, settled: bool, file_complete: bool, allowed_by_type: bool) -> bool:
    """The order's flag: instructions are shown to it and the client may open them."""
    return shown and (allowed_by_type or (settled and file_complete))


def check_individual_allowed(mode: Mode) -> None:
    if mode == Mode.GROUP:
        raise DomainError("travel_pack_group_mode",
                          "La commande est en mode carnet de voyage groupé : passez-la en mode individuel pour lui "
                          "ajouter sa propre convocation.")


def removes_individual_packs(before: Mode, after: Mode) -> bool:
    return before == Mode.INDIVIDUAL and after == Mode.GROUP
