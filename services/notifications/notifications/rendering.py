"""Subjects and bodies from the Jinja2 templates operators edit: a text part and an HTML part (escaped), in the
client's language, each extending its language's layout (greeting and signature).

Templates come from people, not from the code: they run in Jinja2's sandbox, where they reach their variables and
the formatting filters and nothing else. Instants are shown on the organiser's clock: the `date` and `datetime`
filters read its time zone from the context."""
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from jinja2 import FileSystemLoader, StrictUndefined, Template, TemplateError, TemplateSyntaxError, meta, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from notifications.domain import formatting as f
from notifications.domain.mails import SUBJECTS, MailTemplate
from notifications.domain.templates import LANGUAGES, SUBJECT_ONLY_IN_BODY, Language, sample, variables

FILES = Path(__file__).parent / "templates"
Part = Literal["subject", "body_text", "body_html"]
PARTS: tuple[Part, ...] = ("subject", "body_text", "body_html")


@dataclass(frozen=True)
class Source:
    """One version of a template, as an operator wrote it."""

    subject: str
    body_text: str
    body_html: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str


class TemplateRefused(Exception):
    """A template that cannot render: refused when saved, so that no client's mail ever fails on it."""

    def __init__(self, part: Part, message: str) -> None:
        super().__init__(f"{part}: {message}")
        self.part, self.message = part, message


RENDER_ERRORS = (TemplateError, TypeError, ValueError, AttributeError, ArithmeticError, LookupError)
"""What a template can fail with at render time: its own errors, and a filter given a value it cannot take."""
FORMATS = {
    "fr": (f.french_date, f.french_day, f.french_datetime, f.french_period, f.french_amount),
    "en": (f.english_date, f.english_day, f.english_datetime, f.english_period, f.english_amount),
}


def _environment(language: Language, html: bool) -> SandboxedEnvironment:
    day_of, day_of_instant, instant, period, amount = FORMATS[language]

    @pass_context
    def _date(context: Context, day: date | datetime) -> str:
        return day_of_instant(day, context["time_zone"]) if isinstance(day, datetime) else day_of(day)

    @pass_context
    def _datetime(context: Context, at: datetime) -> str:
        return instant(at, context["time_zone"])

    environment = SandboxedEnvironment(
        loader=FileSystemLoader(FILES / "layouts" / language),
        autoescape=html,
        undefined=StrictUndefined,  # a missing value is a bug to see, not a blank in a client's mail
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(date=_date, datetime=_datetime, period=period, eur=amount)
    return environment


ENVIRONMENTS = {(language, html): _environment(language, html) for language in LANGUAGES for html in (False, True)}


@lru_cache(maxsize=512)
def _compiled(language: Language, part: Part, source: str) -> Template:
    return ENVIRONMENTS[language, part == "body_html"].from_string(source)


def render(source: Source, language: Language, time_zone: ZoneInfo, context: dict[str, Any]) -> Rendered:
    """The mail's subject (one line) and its two bodies, its instants in `time_zone`."""
    values = {**context, "time_zone": time_zone}
    rendered: dict[str, str] = {}
    for part in PARTS:
        try:
            rendered[part] = _compiled(language, part, getattr(source, part)).render(values)
        except TemplateError as error:
            raise TemplateRefused(part, str(error)) from error
        except RENDER_ERRORS as error:
            raise TemplateRefused(part, f"a filter or an operation refused its value ({type(error).__name__}: "
                                        f"{error})") from error
        if part == "subject":
            rendered[part] = values["subject"] = " ".join(rendered[part].split())
    return Rendered(**rendered)


def check(template: MailTemplate, source: Source, language: Language, time_zone: ZoneInfo,
          blocks: Mapping[str, str] | None = None) -> Rendered:
    """The template rendered with its sample data and the information blocks set, or the first part that cannot
    render and why: a syntax error, a variable the template does not document, or an error while rendering (a
    filter given the wrong value, a block that is not set)."""
    for part in PARTS:
        try:
            used = meta.find_undeclared_variables(ENVIRONMENTS[language, part == "body_html"].parse(getattr(source, part)))
        except TemplateSyntaxError as error:
            raise TemplateRefused(part, f"line {error.lineno}: {error.message}") from error
        known = variables(template).keys() | (SUBJECT_ONLY_IN_BODY.keys() if part != "subject" else set())
        if unknown := sorted(used - known):
            raise TemplateRefused(part, f"unknown variable {', '.join(unknown)}; this template knows "
                                        f"{', '.join(sorted(variables(template)))}")
    return render(source, language, time_zone, {**sample(template), "blocks": dict(blocks or {})})


def shipped(template: MailTemplate) -> Source:
    """The French version the template was shipped with: its first version."""
    return Source(SUBJECTS[template], (FILES / "fr" / f"{template}.txt").read_text(),
                  (FILES / "fr" / f"{template}.html").read_text())
