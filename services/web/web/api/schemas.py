"""The forms the web application posts, turned into the services' request bodies: blank fields are left out, so
that the service's own validation names what is missing."""
from typing import Any

CLIENT_FIELDS = ("kind", "civility", "last_name", "first_name", "company_name", "email", "mobile", "landline",
                 "address", "postal_code", "city")
PARTICIPANT_FIELDS = ("last_name", "first_name", "birth_date", "sex")


def client_body(values: dict[str, str], flags: dict[str, bool] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {name: value for name, value in values.items() if value and name != "address"}
    if values.get("address"):
        body["address_lines"] = [values["address"]]
    body.update(flags or {})
    return body


def client_values(client: dict[str, Any]) -> dict[str, str]:
    values = {name: client.get(name) or "" for name in CLIENT_FIELDS}
    values["address"] = ", ".join(client.get("address_lines") or [])
    return values


def participant_body(values: dict[str, str]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value}


PAYMENT_METHODS = {"cheque": "Chèque", "transfer": "Virement", "card": "Carte bancaire", "cash": "Espèces",
                   "holiday_vouchers": "Chèques-vacances"}
STATUSES = {"pending": "En attente du stock", "option": "Option", "refused": "Refusée",
            "option_expired": "Option expirée", "validated": "Contrat validé", "archived": "Archivée",
            "cancelled": "Annulée"}
