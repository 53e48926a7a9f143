"""Mail templates: read, preview, edit (a new version, checked before it is kept) and test-send."""
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.encoders import jsonable_encoder

from notifications import mail_templates, services
from notifications.api.schemas import (
    EmailSummary,
    Preview,
    PreviewIn,
    TemplateIn,
    TemplateOut,
    TemplateSummary,
    TemplateVersionOut,
    TestSendIn,
)
from notifications.domain.mails import MailTemplate
from notifications.domain.templates import LANGUAGES, Language, sample, variables
from notifications.rendering import Source, TemplateRefused, check
from notifications.settings import NotificationsSettings
from shared.app import UoW
from shared.auth import BackOffice, Staff
from shared.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from shared.problems import Problem

router = APIRouter(tags=["templates"])


def settings_of(request: Request) -> NotificationsSettings:
    return request.app.state.settings


Settings = Annotated[NotificationsSettings, Depends(settings_of)]


def _refused(error: TemplateRefused) -> Problem:
    field = f"body.{error.part}"
    return Problem(422, "template_refused", "Template refused", f"{field}: {error.message}",
                   errors=[{"field": field, "message": error.message, "type": "template_error"}])


@router.get("/templates", summary="Every template, with its newest version in each language.")
async def list_templates(uow: UoW, _: BackOffice, limit: Limit = 50, cursor: Cursor = None) -> Page[TemplateSummary]:
    catalogue = list(MailTemplate)
    start = catalogue.index(MailTemplate(_after(cursor))) + 1 if cursor else 0
    page = catalogue[start:start + limit]
    newest = await mail_templates.latest_versions(uow)
    items = [TemplateSummary(template=t, versions={lang: newest[t, lang] for lang in LANGUAGES if (t, lang) in newest})
             for t in page]
    more = start + limit < len(catalogue)
    return Page(items=items, next_cursor=encode_cursor(page[-1].value) if more else None)


def _after(cursor: str) -> str:
    (template,) = decode_cursor(cursor, 1)
    if template not in {t.value for t in MailTemplate}:
        raise Problem(422, "invalid_cursor", "Invalid cursor", "The cursor is not one this API gave.")
    return template


@router.get("/templates/{template}", summary="One template: its variables, sample data and current versions.")
async def get_template(template: MailTemplate, uow: UoW, _: BackOffice) -> TemplateOut:
    current = {v.language: TemplateVersionOut.model_validate(v) for v in await mail_templates.newest(uow, template)}
    return TemplateOut(template=template, versions={lang: v.version for lang, v in current.items()},
                       variables=variables(template), sample=jsonable_encoder(sample(template)), current=current)


@router.get("/templates/{template}/versions", summary="A template's versions, oldest first.")
async def list_versions(template: MailTemplate, uow: UoW, _: BackOffice,
                        language: Annotated[Language | None, Query(description="Only this language's.")] = None,
                        limit: Limit = 50, cursor: Cursor = None) -> Page[TemplateVersionOut]:
    rows, next_cursor = await mail_templates.history(uow, template, language, limit, cursor)
    return Page(items=[TemplateVersionOut.model_validate(v) for v in rows], next_cursor=next_cursor)


@router.post("/templates/{template}/versions", status_code=201,
             summary="Save a new version, mailed from now on; refused (422) when it does not render.")
async def save_version(template: MailTemplate, body: TemplateIn, uow: UoW, principal: Staff,
                       settings: Settings) -> TemplateVersionOut:
    source = Source(body.subject, body.body_text, body.body_html)
    try:
        version = await mail_templates.save(uow, settings, template, body.language, source,
                                            principal.name or principal.email or principal.sub)
    except TemplateRefused as error:
        raise _refused(error) from error
    await uow.commit()
    return TemplateVersionOut.model_validate(version)


@router.post("/templates/{template}/preview", summary="A draft, or the current version, rendered with sample data.")
async def preview(template: MailTemplate, body: PreviewIn, uow: UoW, _: BackOffice, settings: Settings) -> Preview:
    version = await mail_templates.current(uow, template, body.language)
    stored = mail_templates.source_of(version)
    is_draft = any((body.subject, body.body_text, body.body_html))
    language = body.language if is_draft else version.language
    draft = Source(body.subject or stored.subject, body.body_text or stored.body_text,
                   body.body_html or stored.body_html)
    try:
        rendered = check(template, draft, language, settings.time_zone, settings.information_blocks)
    except TemplateRefused as error:
        raise _refused(error) from error
    return Preview(language=language, version=None if is_draft else version.version, subject=rendered.subject,
                   body_text=rendered.body_text, body_html=rendered.body_html)


@router.post("/templates/{template}/test-sends", status_code=202,
             summary="Mail the current version, with sample data, to the operator (or the address given).")
async def test_send(template: MailTemplate, body: TestSendIn, uow: UoW, principal: Staff,
                    settings: Settings) -> EmailSummary:
    to = body.to or principal.email
    if not to:
        raise Problem(422, "invalid_request", "Invalid request", "body.to: your account has no e-mail address; "
                      "give one", errors=[{"field": "body.to", "message": "required", "type": "missing"}])
    email = await services.queue_test_email(uow, settings, template, body.language, to)
    await uow.commit()
    return EmailSummary.model_validate(email)
