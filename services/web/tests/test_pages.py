"""The web application's own rules, without the services: money and dates as French people read them, the
language chosen, sessions and their CSRF token, and the forms turned into the services' bodies."""
from fastapi.testclient import TestClient

from web.api.schemas import client_body, client_values
from web.app import create
from web.i18n import language_of, translator
from web.pages import day, money
from web.settings import WebSettings
from web.sessions import Sessions


def test_amounts_and_dates_read_as_in_france_in_the_organiser_s_time_zone():
    assert money("1234.5") == "1\u202f234,50\u00a0€"
    assert money("0") == "0,00\u00a0€"
    assert day("2027-07-14") == "14/07/2027"
    assert day("2027-07-13T22:30:00+00:00") == "14/07/2027 00:30"  # Paris, summer time


def test_french_first_english_when_chosen_or_asked_by_the_browser():
    assert language_of(None, "en-GB,en;q=0.9") == "en" and language_of(None, "fr-FR") == "fr"
    assert language_of("fr", "en-GB") == "fr"
    assert translator("en")("Se connecter") == "Log in"
    assert translator("en")("Une phrase sans traduction") == "Une phrase sans traduction"
    assert translator("fr")("Payer {amount} par carte", amount="10 €") == "Payer 10 € par carte"


def test_a_login_renews_the_session_id_and_an_idle_session_is_forgotten():
    sessions = Sessions(idle_seconds=60)
    first = sessions.new()
    renewed = sessions.renew(first)
    assert renewed.id != first.id and sessions.get(first.id) is None and sessions.get(renewed.id) is renewed
    assert renewed.csrf != first.csrf
    idle = Sessions(idle_seconds=0)
    gone = idle.new()
    assert idle.get(gone.id) is None


def test_a_form_posted_without_the_session_s_csrf_token_is_refused_and_changes_nothing():
    client = TestClient(create(WebSettings(environment="development", api_url="http://127.0.0.1:9/api")),
                        base_url="https://testserver")  # the cookie is Secure
    page = client.get("/bo/connexion")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    refused = client.post("/bo/connexion", data={"email": "a@example.fr", "password": "x", "csrf_token": "forged"})
    assert refused.status_code == 403 and "session a expiré" in refused.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    down = client.post("/bo/connexion", data={"email": "a@example.fr", "password": "x", "csrf_token": token})
    assert down.status_code == 503 and "ne répond pas" in down.text  # identity unreachable: said, not a 500


def test_pages_of_staff_and_families_send_the_others_to_their_login():
    client = TestClient(create(WebSettings(environment="development")))
    assert client.get("/bo/clients", follow_redirects=False).headers["location"] == "/bo/connexion?suite=/bo/clients"
    assert client.get("/espace", follow_redirects=False).headers["location"] == "/connexion?suite=/espace"
    htmx = client.get("/bo/clients/resultats?q=x", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith("/bo/connexion")


def test_a_client_form_leaves_blank_fields_out_and_keeps_the_address_as_one_line():
    values = {"kind": "private", "last_name": "Perrin", "first_name": "", "address": "2 rue Haute", "city": ""}
    assert client_body(values) == {"kind": "private", "last_name": "Perrin", "address_lines": ["2 rue Haute"]}
    shown = client_values({"kind": "private", "last_name": "Perrin", "address_lines": ["2 rue Haute", "Bât. B"]})
    assert shown["address"] == "2 rue Haute, Bât. B" and shown["first_name"] == ""


def test_the_password_links_identity_mails_open_a_form_for_families_and_for_staff():
    client = TestClient(create(WebSettings(environment="development")), base_url="https://testserver")
    for area in ("", "/bo"):
        page = client.get(f"{area}/mot-de-passe?jeton=le-jeton")
        assert page.status_code == 200 and 'name="token" value="le-jeton"' in page.text
        assert f'action="{area}/mot-de-passe"' in page.text and '<label for="password">' in page.text


def test_htmx_is_served_by_the_app_and_probes_open_no_session():
    app = create(WebSettings(environment="development"))
    client = TestClient(app, base_url="https://testserver")
    script = client.get("/static/htmx-2.0.11.min.js")
    assert script.status_code == 200 and script.text.startswith("var htmx=") and "set-cookie" not in script.headers
    assert client.get("/readyz").status_code == 200 and client.get("/static/nothing.js").status_code == 404
    assert len(app.state.sessions) == 0  # nothing kept for files and probes
