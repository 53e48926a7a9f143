"""French e-mail bodies from Jinja2 templates: a text part and an HTML part per template, escaped in HTML.

Instants are shown on the organiser's clock: `render` takes its time zone, which the `date` and `datetime`
filters read from the context."""
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from notifications.domain.formatting import french_amount, french_date, french_datetime, french_day, french_period
from notifications.domain.mails import MailTemplate

ENVIRONMENT = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a missing value is a bug to see, not a blank in a client's mail
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@pass_context
def _date(context: Context, day: date | datetime) -> str:
    return french_day(day, context["time_zone"]) if isinstance(day, datetime) else french_date(day)


@pass_context
def _datetime(context: Context, at: datetime) -> str:
    return french_datetime(at, context["time_zone"])


ENVIRONMENT.filters.update(date=_date, datetime=_datetime, period=french_period, eur=french_amount)


def render(template: MailTemplate, time_zone: ZoneInfo, **context: Any) -> tuple[str, str]:
    """The text and HTML bodies of one e-mail, its instants in `time_zone`."""
    context["time_zone"] = time_zone
    text = ENVIRONMENT.get_template(f"{template}.txt").render(context)
    html = ENVIRONMENT.get_template(f"{template}.html").render(context)
    return text, html
