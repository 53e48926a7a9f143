"""French e-mail bodies from Jinja2 templates: a text part and an HTML part per template, escaped in HTML."""
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notifications.domain.formatting import french_amount, french_date, french_datetime, french_period
from notifications.domain.mails import MailTemplate

ENVIRONMENT = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a missing value is a bug to see, not a blank in a client's mail
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENVIRONMENT.filters.update(date=french_date, datetime=french_datetime, period=french_period, eur=french_amount)


def render(template: MailTemplate, **context: Any) -> tuple[str, str]:
    """The text and HTML bodies of one e-mail."""
    text = ENVIRONMENT.get_template(f"{template}.txt").render(context)
    html = ENVIRONMENT.get_template(f"{template}.html").render(context)
    return text, html
