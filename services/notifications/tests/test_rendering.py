"""Every template renders in French, in text and in HTML, with what the client must know; a template an operator
writes renders in the sandbox, or is refused with the reason."""
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from notifications import rendering
from notifications.domain.mails import MailTemplate
from notifications.domain.templates import sample
from notifications.rendering import Source, TemplateRefused, check, shipped

PARIS = ZoneInfo("Europe/Paris")


def render(template, time_zone, **context):
    """The text and HTML bodies of a template's shipped version, in French."""
    mail = rendering.render(shipped(template), "fr", time_zone, context)
    return mail.body_text, mail.body_html


COMMON = {"time_zone": PARIS, "name": "Mme Claire Martin", "subject": "Objet", "signature": "Colo Vacances",
          "customer_service": "service-client@colo.local"}
ORDER = {"reference": "C-42", "stay_title": "Aventure en Ardèche", "start_date": date(2027, 7, 10),
         "end_date": date(2027, 7, 24), "total": Decimal("850.00"), "amount_paid": Decimal("300.00"),
         "option_expires_at": datetime(2027, 6, 1, 16, 0, tzinfo=UTC), "refusal_reason": "Départ complet.",
         "cancellation_fees": None, "refund_due": None}
INVOICE = {"reference": "F-2027-00017", "total": Decimal("1234.50"), "issued_at": datetime(2027, 6, 2, 8, tzinfo=UTC)}
TRAVEL_PACK = {**ORDER, "title": "Convocation départ Lyon", "replaced": False, "available": False,
               "missing_documents": ["Fiche sanitaire", "Test d'aisance aquatique"], "amount_due": Decimal("550.00")}
RESET = {"link": "https://colo.example/mot-de-passe?jeton=abc", "expires_at": datetime(2027, 6, 2, 8, tzinfo=UTC)}
ACCOUNT = {"email": "claire.martin@example.fr", "front_office_url": "https://colo.example"}
CONTEXTS = {MailTemplate.INVOICE_AVAILABLE: INVOICE, MailTemplate.TRAVEL_PACK: TRAVEL_PACK,
            MailTemplate.PASSWORD_RESET: RESET, MailTemplate.STAFF_PASSWORD: {**RESET, "new_account": True},
            MailTemplate.ACCOUNT_OPENED: {**RESET, **ACCOUNT}, MailTemplate.EMAIL_VERIFICATION: RESET,
            MailTemplate.WELCOME: ACCOUNT, MailTemplate.SIGN_UP_REPEATED: ACCOUNT,
            MailTemplate.NEWSLETTER_CONFIRMATION: {**RESET, **ACCOUNT},
            MailTemplate.BALANCE_REMINDER: {**ORDER, "amount_due": Decimal("550.00")},
            MailTemplate.DOCUMENTS_REMINDER: {**ORDER, "missing_documents": ["Fiche sanitaire"]}}


@pytest.mark.parametrize("template", list(MailTemplate))
def test_every_template_greets_signs_and_has_both_parts(template):
    text, html = render(template, **COMMON, **CONTEXTS.get(template, ORDER))
    assert text.startswith("Bonjour Mme Claire Martin,")
    assert "Colo Vacances" in text and "service-client@colo.local" in text
    assert html.startswith("<!DOCTYPE html>") and 'lang="fr"' in html


def test_the_option_confirmation_gives_the_stay_its_dates_the_total_and_the_deadline():
    text, html = render(MailTemplate.OPTION_CONFIRMATION, **COMMON, **ORDER)
    assert "« Aventure en Ardèche », du 10 au 24 juillet 2027" in text
    assert "850,00 €" in text
    assert "jusqu'au mardi 1er juin 2027 à 18 h 00" in text
    assert "mardi 1er juin 2027 à 18 h 00" in html


def test_an_instant_near_midnight_utc_shows_the_organiser_s_day_and_hour():
    late = {**ORDER, "option_expires_at": datetime(2027, 1, 14, 23, 30, tzinfo=UTC)}
    assert "jusqu'au vendredi 15 janvier 2027 à 0 h 30" in render(MailTemplate.OPTION_CONFIRMATION, **COMMON, **late)[0]
    new_year = {**INVOICE, "issued_at": datetime(2027, 12, 31, 23, 30, tzinfo=UTC)}
    assert "du samedi 1er janvier 2028" in render(MailTemplate.INVOICE_AVAILABLE, **COMMON, **new_year)[0]
    martinique = {**COMMON, "time_zone": ZoneInfo("America/Martinique")}
    assert "du vendredi 31 décembre 2027" in render(MailTemplate.INVOICE_AVAILABLE, **martinique, **new_year)[0]
    assert "jusqu'au jeudi 14 janvier 2027 à 19 h 30" in render(
        MailTemplate.OPTION_CONFIRMATION, **martinique, **late)[0]


def test_the_refusal_gives_its_reason_and_the_invoice_its_reference_and_amount():
    assert "Motif : Départ complet." in render(MailTemplate.BOOKING_REFUSED, **COMMON, **ORDER)[0]
    text, _ = render(MailTemplate.INVOICE_AVAILABLE, **COMMON, **INVOICE)
    assert "F-2027-00017 du mercredi 2 juin 2027" in text and "1\u202f234,50 €" in text


def test_html_escapes_what_comes_from_data_and_text_does_not():
    text, html = render(MailTemplate.BOOKING_CONFIRMATION, **COMMON, **{**ORDER, "stay_title": "Mer & <Soleil>"})
    assert "Mer &amp; &lt;Soleil&gt;" in html
    assert "Mer & <Soleil>" in text


def test_the_travel_pack_mail_says_what_is_missing_or_that_it_is_available():
    text, html = render(MailTemplate.TRAVEL_PACK, **COMMON, **TRAVEL_PACK)
    assert "Une convocation (« Convocation départ Lyon ») a été ajoutée" in text
    assert "vous ne pouvez pas encore y accéder" in text
    assert "formalités manquantes : Fiche sanitaire, Test d'aisance aquatique" in text
    assert "montant restant à régler : 550,00 €" in text and "550,00 €" in html
    text, _ = render(MailTemplate.TRAVEL_PACK, **COMMON, **{**TRAVEL_PACK, "available": True, "replaced": True})
    assert "a été mise à jour" in text and "Elle est disponible dans votre espace client." in text
    assert "formalités" not in text


def test_a_client_cancellation_mail_gives_the_fees_and_the_refund():
    text, html = render(MailTemplate.CANCELLATION_CONFIRMATION, **COMMON,
                        **{**ORDER, "cancellation_fees": Decimal("200.00"), "refund_due": Decimal("300.00")})
    assert "des frais d'annulation de 200,00 € s'appliquent" in text and "Nous vous rembourserons 300,00 €." in text
    assert "300,00 €" in html
    plain, _ = render(MailTemplate.CANCELLATION_CONFIRMATION, **COMMON, **ORDER)
    assert "frais" not in plain and "Si des sommes vous sont dues" in plain


def test_the_front_office_account_mails_say_what_to_do_and_until_when():
    text, html = render(MailTemplate.EMAIL_VERIFICATION, **COMMON, **RESET)
    assert "confirmez votre adresse e-mail en ouvrant ce lien :\n\nhttps://colo.example/mot-de-passe?jeton=abc" in text
    assert "jusqu'au mercredi 2 juin 2027 à 10 h 00" in text and "aucun compte ne sera ouvert" in text
    assert '<a href="https://colo.example/mot-de-passe?jeton=abc">Confirmer mon adresse e-mail</a>' in html
    text, html = render(MailTemplate.WELCOME, **COMMON, **ACCOUNT)
    assert "avec votre adresse e-mail, claire.martin@example.fr" in text and "https://colo.example" in text
    assert '<a href="https://colo.example">Accéder à mon espace client</a>' in html
    text, _ = render(MailTemplate.SIGN_UP_REPEATED, **COMMON, **ACCOUNT)
    assert "aucun autre n'a été créé" in text and "votre compte reste inchangé" in text
    text, _ = render(MailTemplate.ACCOUNT_OPENED, **COMMON, **RESET, **ACCOUNT)
    assert "Votre espace client vient d'être ouvert" in text and "jusqu'au mercredi 2 juin 2027 à 10 h 00" in text
    text, _ = render(MailTemplate.NEWSLETTER_CONFIRMATION, **COMMON, **RESET, **ACCOUNT)
    assert "à l'adresse claire.martin@example.fr" in text and "votre adresse ne sera pas inscrite" in text


def test_a_name_or_an_address_in_a_mail_is_escaped_in_html():
    _, html = render(MailTemplate.WELCOME, **{**COMMON, "name": "<b>Claire</b>"}, **ACCOUNT)
    assert "&lt;b&gt;Claire&lt;/b&gt;" in html and "<b>Claire</b>" not in html


def test_subjects_name_the_stay_and_the_reference_on_one_line():
    mail = rendering.render(shipped(MailTemplate.OPTION_CONFIRMATION), "fr", PARIS, {**COMMON, **ORDER})
    assert mail.subject == "Votre option pour « Aventure en Ardèche » est enregistrée (commande C-42)"
    assert "<title>Votre option pour « Aventure en Ardèche »" in mail.body_html
    lines = Source("Facture\n  {{ reference }}", "{{ subject }}", "x")
    mail = rendering.render(lines, "fr", PARIS, {**COMMON, **INVOICE})
    assert mail.subject == mail.body_text == "Facture F-2027-00017"


@pytest.mark.parametrize("template", list(MailTemplate))
def test_every_shipped_template_passes_the_check_an_edited_one_must_pass(template):
    mail = check(template, shipped(template), "fr", PARIS)
    assert mail.subject and "Mme Claire Martin" in mail.body_text and sample(template)["name"] in mail.body_html


ENGLISH = Source("Your invoice {{ reference }}", '{% extends "base.txt" %}{% block body %}'
                 "Invoice {{ reference }} of {{ issued_at|date }}: {{ total|eur }}.{% endblock %}",
                 '{% extends "base.html" %}{% block body %}<p>{{ total|eur }}</p>{% endblock %}')


def test_an_english_template_reads_in_english_with_its_layout_dates_and_amounts():
    mail = check(MailTemplate.INVOICE_AVAILABLE, ENGLISH, "en", PARIS)
    assert mail.subject == "Your invoice F-2027-00017"
    assert mail.body_text.startswith("Hello Mme Claire Martin,")
    assert "Invoice F-2027-00017 of Wednesday 2 June 2027: €1,234.50." in mail.body_text
    assert "Kind regards,\nColo Vacances" in mail.body_text and 'lang="en"' in mail.body_html


@pytest.mark.parametrize(("source", "part", "reason"), [
    (Source("{{ stay }}", "x", "x"), "subject", "unknown variable stay"),
    (Source("x", "{% if reference %}", "x"), "body_text", "line 1"),
    (Source("x", "x", "{{ reference.__class__.__mro__ }}"), "body_html", "unsafe"),
    (Source("x", "{{ reference|eur }}", "x"), "body_text", "InvalidOperation"),
    (Source("x", "{{ total|nofilter }}", "x"), "body_text", "nofilter"),
    (Source("x", '{% include "/etc/passwd" %}', "x"), "body_text", "/etc/passwd"),
])
def test_a_template_that_cannot_render_is_refused_naming_its_part_and_why(source, part, reason):
    with pytest.raises(TemplateRefused) as refused:
        check(MailTemplate.INVOICE_AVAILABLE, source, "fr", PARIS)
    assert refused.value.part == part and reason in refused.value.message
