"""Template use cases: the version mailed in a language, the history, a new version checked before it is kept."""
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from notifications.domain.mails import MailTemplate
from notifications.domain.templates import DEFAULT_LANGUAGE, Language
from notifications.rendering import Source, check, shipped
from notifications.settings import NotificationsSettings
from notifications.tables import TemplateVersion
from shared.db import UnitOfWork
from shared.pagination import keyset_page
from shared.problems import Problem


async def current(uow: UnitOfWork, template: MailTemplate, language: Language) -> TemplateVersion:
    """The newest version in the client's language, or in French when that language has none."""
    for candidate in dict.fromkeys((language, DEFAULT_LANGUAGE)):
        version = await uow.session.scalar(
            select(TemplateVersion).where(TemplateVersion.template == template, TemplateVersion.language == candidate)
            .order_by(TemplateVersion.version.desc()).limit(1))
        if version is not None:
            return version
    raise LookupError(f"template {template} has no French version: its migration did not run")


async def history(uow: UnitOfWork, template: MailTemplate, language: Language | None, limit: int,
                  cursor: str | None) -> tuple[list[TemplateVersion], str | None]:
    stmt = select(TemplateVersion).where(TemplateVersion.template == template)
    if language is not None:
        stmt = stmt.where(TemplateVersion.language == language)
    return await keyset_page(uow.session, stmt, TemplateVersion.created_at, TemplateVersion.id, limit, cursor)


async def newest(uow: UnitOfWork, template: MailTemplate) -> list[TemplateVersion]:
    """The newest version in each language that has one."""
    newest: dict[str, TemplateVersion] = {}
    for version in await uow.session.scalars(select(TemplateVersion).where(TemplateVersion.template == template)
                                             .order_by(TemplateVersion.version.desc())):
        newest.setdefault(version.language, version)
    return list(newest.values())


async def latest_versions(uow: UnitOfWork) -> dict[tuple[str, str], int]:
    """(template, language) → its newest version number."""
    rows = await uow.session.execute(select(TemplateVersion.template, TemplateVersion.language,
                                            func.max(TemplateVersion.version))
                                     .group_by(TemplateVersion.template, TemplateVersion.language))
    return {(template, language): version for template, language, version in rows}


async def save(uow: UnitOfWork, settings: NotificationsSettings, template: MailTemplate, language: Language,
               source: Source, author: str) -> TemplateVersion:
    """A new version, mailed from now on; refused (TemplateRefused) when it does not render with its sample data."""
    check(template, source, language, settings.time_zone, settings.information_blocks)
    newest = await uow.session.scalar(select(func.max(TemplateVersion.version)).where(
        TemplateVersion.template == template, TemplateVersion.language == language))
    version = TemplateVersion(template=template.value, language=language, version=(newest or 0) + 1,
                              subject=source.subject, body_text=source.body_text, body_html=source.body_html,
                              author=author, created_at=uow.clock.now())
    uow.session.add(version)
    try:
        await uow.session.flush()
    except IntegrityError as error:
        raise Problem(409, "template_edited_concurrently", "Edited concurrently",
                      f"Version {version.version} of {template} ({language}) was just saved by someone else: "
                      "read it, then save yours again.") from error
    return version


def shipped_versions(now: datetime, templates: Iterable[MailTemplate] = tuple(MailTemplate)) -> list[dict[str, Any]]:
    """The first version of these templates: the French text Colo is shipped with (rows of `template_versions`).
    A migration names the templates it brings, so that a later one can bring new templates without a clash."""
    return [{"id": uuid4(), "template": t.value, "language": DEFAULT_LANGUAGE, "version": 1, "subject": source.subject,
             "body_text": source.body_text, "body_html": source.body_html, "author": "shipped", "created_at": now}
            for t in templates for source in [shipped(t)]]


def source_of(version: TemplateVersion) -> Source:
    return Source(version.subject, version.body_text, version.body_html)
