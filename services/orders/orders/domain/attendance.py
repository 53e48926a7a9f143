"""Attendance on the stay (seed 001, "Gestion des présents"): participants whose order is validated, settled and
with a complete file are present by default; an operator records what actually happened, an absence with its
reason, or the presence of a participant whose order was not in order."""
from dataclasses import dataclass

from shared.problems import DomainError


@dataclass(frozen=True)
class Mark:
    present: bool
    reason: str | None = None


def present_by_default(validated: bool, settled: bool, file_complete: bool) -> bool:
    return validated and settled and file_complete


def attendance(validated: bool, settled: bool, file_complete: bool, mark: Mark | None) -> bool:
    return mark.present if mark is not None else present_by_default(validated, settled, file_complete)


def check_mark(validated: bool, mark: Mark) -> None:
    if not validated:
        raise DomainError("attendance_not_applicable",
                          "Seuls les participants d'une commande validée sont attendus sur le séjour.")
    if not mark.present and not (mark.reason and mark.reason.strip()):
        raise DomainError("absence_reason_required", "Indiquez le motif de l'absence.")
