"""The rules of notifications, without I/O: who receives what, and how dates and amounts read in French."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from notifications.domain.delivery import gives_up, retry_delay
from notifications.domain.formatting import french_amount, french_date, french_datetime, french_day, french_period
from notifications.domain.mails import (
    ACCOUNT_PASSWORD_TEMPLATES,
    TEMPLATE_OF_EVENT,
    MailTemplate,
    account_password_template,
    template_for,
)
from notifications.domain.recipients import archive_copies, copies, display_name, recipients
from notifications.domain.reminders import TEMPLATE as REMINDER_TEMPLATES
from notifications.settings import NotificationsSettings
from shared import events


def test_a_client_with_an_email_receives_it_himself():
    assert recipients("claire@example.fr", "service-client@colo.local") == ["claire@example.fr"]


@pytest.mark.parametrize("missing", [None, ""])
def test_a_client_without_email_is_served_through_the_customer_service_address(missing):
    assert recipients(missing, "service-client@colo.local") == ["service-client@colo.local"]


def test_the_archive_address_gets_a_blind_copy_only_when_set():
    assert archive_copies("archives@colo.local") == ["archives@colo.local"]
    assert archive_copies(None) == []


def test_a_person_is_named_with_civility_and_a_company_by_its_name():
    assert display_name("private", "Martin", "Claire", "Mme", None) == "Mme Claire Martin"
    assert display_name("prospect", "Martin", None, None, None) == "Martin"
    assert display_name("professional", "Durand", "Paul", "M.", "Mairie de Lyon") == "Mairie de Lyon"


def test_each_order_and_invoice_event_has_its_template():
    assert template_for(events.OrderOptioned.TYPE) is MailTemplate.OPTION_CONFIRMATION
    assert template_for(events.OrderValidated.TYPE) is MailTemplate.BOOKING_CONFIRMATION
    assert template_for(events.OrderRefused.TYPE) is MailTemplate.BOOKING_REFUSED
    assert template_for(events.OrderCancelled.TYPE) is MailTemplate.CANCELLATION_CONFIRMATION
    assert template_for(events.OrderOptionExpired.TYPE) is MailTemplate.OPTION_EXPIRED
    assert template_for(events.InvoiceIssued.TYPE) is MailTemplate.INVOICE_AVAILABLE
    assert template_for(events.TravelPackAttached.TYPE) is MailTemplate.TRAVEL_PACK
    reminders = set(REMINDER_TEMPLATES.values())
    assert set(TEMPLATE_OF_EVENT.values()) | set(ACCOUNT_PASSWORD_TEMPLATES) | reminders == set(MailTemplate)


def test_a_password_link_opens_the_front_office_for_families_and_the_back_office_for_staff():
    assert account_password_template("client", False) is MailTemplate.PASSWORD_RESET
    assert account_password_template("legal_guardian", True) is MailTemplate.ACCOUNT_OPENED
    assert account_password_template("reseller", True) is MailTemplate.ACCOUNT_OPENED
    assert account_password_template("operator", True) is MailTemplate.STAFF_PASSWORD
    assert account_password_template(None, False) is MailTemplate.STAFF_PASSWORD


def test_dates_read_in_french_with_the_first_of_the_month_as_an_ordinal():
    assert french_date(date(2027, 7, 10)) == "samedi 10 juillet 2027"
    assert french_date(date(2027, 6, 1)) == "mardi 1er juin 2027"


def test_an_instant_is_shown_on_the_organiser_s_clock_paris_by_default(monkeypatch):
    paris = NotificationsSettings().time_zone
    assert french_datetime(datetime(2027, 6, 1, 16, 0, tzinfo=UTC), paris) == "mardi 1er juin 2027 à 18 h 00"  # summer
    assert french_datetime(datetime(2027, 1, 14, 23, 30, tzinfo=UTC), paris) == "vendredi 15 janvier 2027 à 0 h 30"
    assert french_day(datetime(2027, 12, 31, 23, 30, tzinfo=UTC), paris) == "samedi 1er janvier 2028"
    monkeypatch.setenv("COLO_TIME_ZONE", "America/Martinique")
    assert NotificationsSettings().time_zone == ZoneInfo("America/Martinique")


@pytest.mark.parametrize(("start", "end", "text"), [
    (date(2027, 7, 10), date(2027, 7, 24), "du 10 au 24 juillet 2027"),
    (date(2027, 7, 1), date(2027, 7, 15), "du 1er au 15 juillet 2027"),
    (date(2027, 7, 28), date(2027, 8, 11), "du 28 juillet au 11 août 2027"),
    (date(2027, 12, 28), date(2028, 1, 3), "du 28 décembre 2027 au 3 janvier 2028"),
])
def test_a_stay_period_names_month_and_year_only_where_they_change(start, end, text):
    assert french_period(start, end) == text


def test_amounts_read_in_french():
    assert french_amount(Decimal("1234.5")) == "1\u202f234,50 €"
    assert french_amount(Decimal("850")) == "850,00 €"


def test_a_refused_mail_is_retried_after_doubling_delays_then_given_up():
    assert [retry_delay(n, 30) for n in (1, 2, 3)] == [timedelta(seconds=30), timedelta(seconds=60),
                                                       timedelta(seconds=120)]
    assert not gives_up(4, max_attempts=5)
    assert gives_up(5, max_attempts=5)


@pytest.mark.parametrize("preference, expected", [
    ("client", ["claire@example.fr"]),
    ("legal_guardian", ["paul@example.fr", "anne@example.fr"]),
    ("both", ["claire@example.fr", "paul@example.fr", "anne@example.fr"]),
])
def test_the_client_chooses_who_receives_its_mail(preference, expected):
    guardians = ["paul@example.fr", "anne@example.fr"]
    assert recipients("claire@example.fr", "sc@colo.local", preference, guardians) == expected


def test_without_guardian_address_the_client_then_customer_service_receives_the_mail():
    assert recipients("claire@example.fr", "sc@colo.local", "legal_guardian", []) == ["claire@example.fr"]
    assert recipients(None, "sc@colo.local", "both", []) == ["sc@colo.local"]
    assert recipients(None, "sc@colo.local", "legal_guardian", ["paul@example.fr"]) == ["paul@example.fr"]


def test_contacts_are_copied_once_and_not_when_they_already_receive_the_mail():
    assert copies(["ana@ce.fr", "ana@ce.fr", "paul@example.fr"], ["paul@example.fr"]) == ["ana@ce.fr"]
