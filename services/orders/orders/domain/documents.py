"""An order's paperwork (seed 001, "Dossier de voyages"): the stay's required documents, each uploaded by an
operator or by the client and checked by an operator; the file is complete when every one is checked.

A file is accepted only as PDF, JPEG or PNG, recognised from its first bytes (the declared type must agree),
and no larger than the configured limit.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


class InvalidFile(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class DocumentStatus(StrEnum):
    TO_CHECK = "to_check"
    CHECKED = "checked"
    REFUSED = "refused"


class ItemStatus(StrEnum):
    MISSING = "missing"
    TO_CHECK = "to_check"
    CHECKED = "checked"
    REFUSED = "refused"


def safe_name(filename: str) -> str:
    """The file's own name, without any path or quote, to serve it back in a Content-Disposition header."""
    name = PurePath(filename.replace("\\", "/")).name
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '"\r\n')
    return cleaned[:255] or "document"


def sniff(content: bytes) -> str | None:
    return next((kind for kind, magics in SIGNATURES.items() if content.startswith(magics)), None)


def check_file(declared_type: str | None, content: bytes, max_bytes: int) -> str:
    """The file's content type, or why it is refused."""
    if not content:
        raise InvalidFile("empty_file", "The file is empty.")
    if len(content) > max_bytes:
        raise InvalidFile("file_too_large", f"The file exceeds the limit of {max_bytes // 1024} KiB.")
    actual = sniff(content)
    if actual is None:
        raise InvalidFile("unsupported_file_type", "Only PDF, JPEG and PNG files are accepted.")
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared not in ("", "application/octet-stream", actual):
        raise InvalidFile("file_type_mismatch", f"The file is a {actual}, not a {declared}.")
    return actual


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    status: ItemStatus


def checklist(required: Iterable[tuple[str, str]], latest: dict[str, DocumentStatus]) -> list[Item]:
    """Each required document with the status of its latest upload."""
    return [Item(code, label, ItemStatus(latest[code].value) if code in latest else ItemStatus.MISSING)
            for code, label in required]


def complete(items: list[Item]) -> bool:
    return all(item.status == ItemStatus.CHECKED for item in items)


def missing_labels(items: list[Item]) -> list[str]:
    """What the client is still to provide (or to provide again), in the checklist's order."""
    return [item.label for item in items if item.status != ItemStatus.CHECKED]
