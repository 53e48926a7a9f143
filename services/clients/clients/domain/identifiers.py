"""French company identifiers and EU VAT numbers: their formats and check keys, without I/O.

SIREN (9 digits) and SIRET (SIREN + 5 digits) carry a Luhn key. La Poste's establishments are the
one known exception: their SIRETs (SIREN 356000000) have digits summing to a multiple of 5.
A French VAT number is FR, a 2-digit key computed from the SIREN, then the SIREN.
"""
import re

LA_POSTE_SIREN = "356000000"
NAF_CODE = re.compile(r"(\d{2})\.?(\d{2})([A-Z])")
EU_VAT_FORMATS = {
    "AT": r"U\d{8}", "BE": r"[01]\d{9}", "BG": r"\d{9,10}", "CY": r"\d{8}[A-Z]", "CZ": r"\d{8,10}",
    "DE": r"\d{9}", "DK": r"\d{8}", "EE": r"\d{9}", "EL": r"\d{9}", "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}", "FR": r"[A-Z0-9]{2}\d{9}", "HR": r"\d{11}", "HU": r"\d{8}", "IE": r"\d[A-Z0-9+*]\d{5}[A-Z]{1,2}",
    "IT": r"\d{11}", "LT": r"\d{9}|\d{12}", "LU": r"\d{8}", "LV": r"\d{11}", "MT": r"\d{8}", "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}", "PT": r"\d{9}", "RO": r"\d{2,10}", "SE": r"\d{12}", "SI": r"\d{8}", "SK": r"\d{10}",
    "XI": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",
}
"""The VIES formats per member-state prefix (Greece is EL, Northern Ireland XI)."""


def compact(text: str) -> str:
    """Without the spaces, dots and dashes people type in identifiers, upper case."""
    return re.sub(r"[\s.\-]", "", text).upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def siren_error(siren: str) -> str | None:
    """Why a compacted SIREN is wrong, None when it is right."""
    if not re.fullmatch(r"\d{9}", siren):
        return "A SIREN has 9 digits."
    if not luhn_valid(siren):
        return "This SIREN's check key is wrong: a digit is mistyped."
    return None


def siret_error(siret: str) -> str | None:
    """Why a compacted SIRET is wrong, None when it is right."""
    if not re.fullmatch(r"\d{14}", siret):
        return "A SIRET has 14 digits."
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00000":
        valid = sum(int(d) for d in siret) % 5 == 0
    else:
        valid = luhn_valid(siret)
    return None if valid else "This SIRET's check key is wrong: a digit is mistyped."


def naf_code(text: str) -> str | None:
    """The NAF code in its usual form ("5520Z" -> "55.20Z"), None when it is not one."""
    match = NAF_CODE.fullmatch(compact(text))
    return f"{match[1]}.{match[2]}{match[3]}" if match else None


def french_vat_key(siren: str) -> str:
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


def vat_error(vat_number: str) -> str | None:
    """Why a compacted intra-EU VAT number is wrong, None when its format (and a French key) is right."""
    prefix, rest = vat_number[:2], vat_number[2:]
    if prefix not in EU_VAT_FORMATS:
        return "An intra-EU VAT number starts with a member state's code (FR, BE, DE, ..., EL for Greece)."
    if not re.fullmatch(EU_VAT_FORMATS[prefix], rest):
        return f"This is not the format of a {prefix} VAT number."
    if prefix == "FR" and rest[:2].isdigit() and rest[:2] != french_vat_key(rest[2:]):
        return "This French VAT number's key does not match its SIREN: a digit is mistyped."
    return None
