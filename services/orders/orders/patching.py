"""The one way orders reads a PATCH body: a field left out keeps its value, a field sent replaces it.

Null is a value only where the resource may have none (a validity date, a maximum, an optional link), and those
fields say so with `Clearable`. Anywhere else a null is bad input, refused with a 422 naming the field, instead of
reaching a NOT NULL column (a 500) or being silently ignored; the OpenAPI schema offers null only where it is
accepted.
"""
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic.fields import FieldInfo

T = TypeVar("T")


class _ClearableMark:
    """Metadata of a field that null clears."""


CLEARABLE = _ClearableMark()
Clearable = Annotated[T | None, CLEARABLE]
"""A PATCH field that null clears: `valid_until: Clearable[date] = None`."""


def _clearable(field: FieldInfo) -> bool:
    return CLEARABLE in field.metadata


def _offer_null_only_where_clearable(schema: dict[str, Any], model: type[BaseModel]) -> None:
    for name, prop in schema.get("properties", {}).items():
        if _clearable(model.model_fields[name]):
            continue
        kept = [option for option in prop.pop("anyOf", []) if option != {"type": "null"}]
        prop.pop("default", None)
        if len(kept) == 1:
            prop.update(kept[0])
        elif kept:
            prop["anyOf"] = kept


class Patch(BaseModel):
    """Base of every PATCH body of orders; fields are declared `X | None = None` (None: left out) or
    `Clearable[X] = None`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_offer_null_only_where_clearable)

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_clearable(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name is not None and not _clearable(cls.model_fields[info.field_name]):
            raise ValueError("may be left out, but not null")
        return value

    def changes(self) -> dict[str, Any]:
        """The fields sent, with their new values (None only for a clearable field)."""
        return {name: getattr(self, name) for name in self.model_fields_set}
