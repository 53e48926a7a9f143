"""The order's PDF (a booking confirmation, in French) from its snapshot alone: the same snapshot gives the same
bytes, so any version can be rendered again."""
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from weasyprint import HTML

from shared.money import format_eur

_templates = Environment(
    loader=PackageLoader("orders", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["eur"] = lambda amount: format_eur(Decimal(amount))


def render_html(snapshot: dict[str, Any]) -> str:
    return _templates.get_template("order.html").render(doc=snapshot)


def render_pdf(snapshot: dict[str, Any]) -> bytes:
    """CPU-bound: callers on the event loop run it in a thread."""
    return HTML(string=render_html(snapshot)).write_pdf()
