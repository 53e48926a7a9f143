"""PDF of an invoice or credit note, from its snapshot alone: the same snapshot gives the same bytes; and of an
account statement."""
from datetime import date
from decimal import Decimal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel
from weasyprint import HTML

from billing import einvoice
from billing.domain.documents import Kind, Snapshot
from shared.money import format_eur

TITLES = {Kind.INVOICE: "FACTURE", Kind.CREDIT_NOTE: "AVOIR"}


def _date_fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _rate(rate: Decimal) -> str:
    """5,5 %, 20 %: a rate as the French read it."""
    return f"{rate.normalize():f}".replace(".", ",") + " %"


_templates = Environment(
    loader=PackageLoader("billing", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["eur"] = format_eur
_templates.filters["date_fr"] = _date_fr
_templates.filters["rate"] = _rate


def render_html(document: Snapshot) -> str:
    title = "FACTURE D'ANNULATION" if document.cancellation else TITLES[document.kind]
    return _templates.get_template("document.html").render(doc=document, title=title, vat=document.vat)


def render_pdf(document: Snapshot) -> bytes:
    """CPU-bound (tens of milliseconds): callers on the event loop run it in a thread. A professional buyer's
    document is an e-invoice: a PDF/A-3 with its Factur-X XML (whose embedding dates it, so only its XML and its
    pages are the same at each rendering)."""
    html = HTML(string=render_html(document))
    if document.vat is not None and einvoice.is_professional(document):
        return einvoice.embed(html.write_pdf(pdf_variant="pdf/a-3b"), document)
    return html.write_pdf()


def render_statement(statement: BaseModel, client_name: str) -> bytes:
    """A statement is a view at a date, not a document: rendered when asked, never stored."""
    html = _templates.get_template("statement.html").render(st=statement, client_name=client_name)
    return HTML(string=html).write_pdf()
