"""The web application in a real browser (Debian's chromium driven by Playwright), behind the gateway, in front of
the six services: what staff and families see and do on screen."""
import os
import re
import shutil
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, async_playwright, expect

from shared.testing import Front, Platform, auth, eventually, start_front

from .test_front_door_story import link_token, mail_to
from .test_story import until
from .test_story_payments import departure_of, optioned_order

pytestmark = pytest.mark.e2e
PASSWORD = "un mot de passe de plage"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).parents[1] / "docs" / "screenshots"
"""Where `make screenshots` (COLO_SCREENSHOTS=1) refreshes README's pictures; a plain test run leaves them alone."""


@pytest.fixture(scope="module")
async def front(platform: Platform, tmp_path_factory: pytest.TempPathFactory):
    async with start_front(platform, tmp_path_factory.mktemp("front")) as started:
        yield started


@pytest.fixture(scope="module")
async def browser():
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser, front: Front):
    # bypass_csp: axe-core is injected as a script of the page, which the gateway's policy would refuse.
    context = await browser.new_context(base_url=front.url, locale="fr-FR", accept_downloads=True, bypass_csp=True,
                                        viewport={"width": 1100, "height": 800})
    yield await context.new_page()
    await context.close()


async def staff_user(platform: Platform, role: str, **extra) -> str:
    email = f"{role}.{uuid.uuid4().hex[:6]}@colo.local"
    created = await platform.client("identity", "admin").post("/users", json={
        "email": email, "display_name": f"Claire {role}", "role": role, "password": PASSWORD, **extra})
    assert created.status_code == 201, created.text
    return email


async def log_in_staff(page: Page, email: str, password: str = PASSWORD) -> None:
    await page.goto("/bo/connexion")
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe").fill(password)
    await page.get_by_role("button", name="Se connecter").click()


async def checked(page: Page, name: str) -> None:
    """A main page: axe-core finds no serious or critical accessibility violation in it; with COLO_SCREENSHOTS set,
    its screenshot goes into docs/screenshots/ (README shows them)."""
    assert AXE.exists(), "axe-core is missing: `make browser` installs it"
    await page.add_script_tag(path=str(AXE))
    violations = await page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)""")
    assert violations == [], f"{name}: {violations}"
    if os.environ.get("COLO_SCREENSHOTS"):
        await page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


async def reload_until(page: Page, check) -> None:
    """Reload until the page shows what `check(page)` looks for: what happens a moment later, through events."""
    async def shown() -> bool:
        await page.reload()
        return await check(page)

    await eventually(shown, timeout=30, interval=0.3)


def season_day() -> date:
    """A departure date no other test uses, so that the period filter finds it alone."""
    return date(2031, 1, 1) + timedelta(days=uuid.uuid4().int % 3000)


async def test_staff_log_in_find_a_client_by_phone_as_they_type_create_one_and_log_out(platform, page: Page):
    email = await staff_user(platform, "operator")
    clients = platform.client("clients")
    mobile = f"06{uuid.uuid4().int % 10**8:08d}"
    known = await clients.post("/clients", json={"kind": "private", "civility": "Mme", "last_name": "Fontaine",
                                                 "first_name": "Léa", "mobile": mobile, "email": "lea@example.fr"})
    assert known.status_code == 201, known.text

    await log_in_staff(page, email, "pas le bon")
    await expect(page.get_by_role("alert")).to_have_text("E-mail ou mot de passe incorrect.")
    await checked(page, "back-office-login")
    await log_in_staff(page, email)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    await page.get_by_role("link", name="Clients", exact=True).click()
    cookie = next(c for c in await page.context.cookies() if c["name"] == "colo_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"

    spaced = " ".join(mobile[i:i + 2] for i in range(0, 10, 2))  # 06 12 34 56 78, typed as people write it
    await page.get_by_label("Rechercher un client").press_sequentially(spaced, delay=20)
    await expect(page.get_by_role("link", name="Mme FONTAINE Léa")).to_be_visible()
    await checked(page, "back-office-client-search")
    await page.get_by_label("En litige").check()  # the same search among disputed clients: she is not one
    await expect(page.get_by_text("Aucun client ne correspond.")).to_be_visible()
    await page.get_by_label("En litige").uncheck()
    await page.get_by_role("link", name="Mme FONTAINE Léa").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mme FONTAINE Léa")
    await checked(page, "back-office-client-record")
    await page.get_by_role("link", name="Commandes").click()
    await expect(page.get_by_text("Aucune commande.")).to_be_visible()
    await page.get_by_role("link", name="Historique").click()
    await expect(page.locator("section ol li")).to_have_count(1)  # its creation

    await page.goto("/bo/clients/nouveau")
    await page.get_by_label("Nom", exact=True).fill("Perrin")
    await page.get_by_label("Prénom").fill("Tom")
    await page.get_by_label("Adresse e-mail").fill("pas-une-adresse@")
    await page.get_by_label("Adresse e-mail").evaluate("field => field.type = 'text'")  # past the browser's check
    await page.get_by_role("button", name="Enregistrer").click()
    await expect(page.locator("#email-error")).to_be_visible()
    await expect(page.get_by_label("Nom", exact=True)).to_have_value("Perrin")  # nothing typed is lost
    await page.get_by_label("Adresse e-mail").fill("tom.perrin@example.fr")
    await page.get_by_role("button", name="Enregistrer").click()
    await expect(page.get_by_role("status")).to_have_text("Client enregistré.")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("PERRIN Tom")

    await page.goto("/langue/en?suite=/bo/clients")
    await expect(page.get_by_label("Search for a client")).to_be_visible()
    await page.goto("/langue/fr?suite=/bo/clients")
    await page.get_by_role("button", name="Se déconnecter").click()
    await expect(page.get_by_role("heading", name="Connexion du personnel")).to_be_visible()
    await page.goto("/bo/clients")
    await expect(page).to_have_url(re.compile(r"/bo/connexion"))


async def test_a_booking_on_screen_reaches_option_and_a_payment_turns_the_settled_flag_green(platform, page: Page):
    email = await staff_user(platform, "operator")
    clients, stock = platform.client("clients"), platform.client("stock")
    start = season_day()
    _, departure_id = await departure_of(stock, f"Voile à Quiberon {uuid.uuid4().hex[:4]}", start, "480.00")
    family = (await clients.post("/clients", json={
        "kind": "private", "civility": "M.", "last_name": "Blanc", "first_name": "Paul", "email": "paul@example.fr",
        "address_lines": ["2 rue Haute"], "postal_code": "56170", "city": "Quiberon"})).json()
    child = await clients.post(f"/clients/{family['id']}/participants", json={
        "last_name": "Blanc", "first_name": "Noé", "birth_date": "2016-03-02"})
    assert child.status_code == 201, child.text

    await log_in_staff(page, email)
    await page.goto(f"/bo/clients/{family['id']}")
    await page.get_by_role("link", name="Nouvelle réservation").last.click()
    await page.get_by_label("Départs à partir du").fill(start.isoformat())
    await page.get_by_label("Départs jusqu'au").fill((start + timedelta(days=14)).isoformat())
    await page.get_by_role("button", name="Voir les départs").click()
    await page.get_by_label("Départ", exact=True).select_option(departure_id)
    await page.get_by_label("Noé Blanc").check()
    await expect(page.locator("#booking-total")).to_have_text("480,00\u00a0€")
    await checked(page, "back-office-new-booking")
    await page.get_by_label("Code promo").fill("INCONNU")
    await page.get_by_role("button", name="Réserver").click()
    await expect(page.get_by_role("alert")).to_contain_text("INCONNU")  # refused, and the choices kept
    await expect(page.get_by_label("Noé Blanc")).to_be_checked()
    await expect(page.get_by_label("Départ", exact=True)).to_have_value(departure_id)
    await page.get_by_label("Code promo").fill("")
    await page.get_by_role("button", name="Réserver").click()
    await expect(page.get_by_role("status")).to_have_text("Réservation enregistrée.")
    order_url = page.url

    async def optioned(p: Page) -> bool:
        return await p.locator("#status").inner_text() == "Option"

    await reload_until(page, optioned)
    await expect(page.locator("[data-flag=settled]")).to_have_text("Soldée : non")
    await expect(page.locator("#workflow")).to_contain_text("Places réservées ; option jusqu")
    await page.get_by_role("link", name="M. BLANC Paul").click()
    await page.get_by_role("link", name="E-mails").click()
    await expect(page.get_by_role("cell", name="paul@example.fr").first).to_be_visible()  # the option's mail
    await page.goto(order_url)

    await page.goto(f"/bo/stock?start_after={start.isoformat()}&end_before={(start + timedelta(days=14)).isoformat()}")
    await expect(page.locator("tbody tr").first).to_contain_text("30")
    held = page.locator("tbody tr").first.locator("td").nth(2)
    await expect(held).to_have_text("1")
    await checked(page, "back-office-stock")

    await page.goto(order_url)
    await page.get_by_label("Montant").fill("480,00")
    await page.get_by_label("Mode de règlement").select_option("cheque")
    await page.get_by_role("button", name="Enregistrer un règlement").click()
    await expect(page.get_by_role("status")).to_have_text("Règlement enregistré.")

    async def settled(p: Page) -> bool:
        return await p.locator("[data-flag=settled]").inner_text() == "Soldée : oui"

    await reload_until(page, settled)
    await expect(page.locator("[data-flag=settled]")).to_have_class(re.compile(r"\bon\b"))
    await expect(page.locator("#balance")).to_have_text("0,00\u00a0€")
    await checked(page, "back-office-order")
    await page.get_by_role("link", name="Tableau de bord").click()
    await expect(page.locator("svg[role=img]").first).to_be_visible()
    await checked(page, "back-office-dashboard")


async def test_each_role_sees_what_it_may_and_a_cancellation_shows_its_fees_before_it_is_confirmed(
        platform, browser, front: Front, page: Page):
    clients = httpx.AsyncClient(base_url=platform.processes["clients"].url, timeout=30,
                                headers=auth("admin", perms=["health_data"]))
    family = (await clients.post("/clients", json={
        "kind": "private", "last_name": "Roux", "first_name": "Ana", "email": "ana.roux@example.fr"})).json()
    child = (await clients.post(f"/clients/{family['id']}/participants", json={
        "last_name": "Roux", "first_name": "Eli", "birth_date": "2015-06-01"})).json()
    filled = await clients.put(f"/clients/{family['id']}/participants/{child['id']}/health",
                               json={"allergies": "Arachide", "treatments": None, "diet": None, "medical_notes": None})
    assert filled.status_code == 200, filled.text
    await clients.aclose()
    _, departure_id = await departure_of(platform.client("stock"), f"Kayak {uuid.uuid4().hex[:4]}", season_day(),
                                         "300.00")
    orders = platform.client("orders")
    order_id = await optioned_order(orders, family["id"], departure_id, [child["id"]])
    paid = await orders.post(f"/orders/{order_id}/payments", json={"amount": "100.00", "method": "cheque"})
    assert paid.status_code == 201, paid.text
    await until(orders, f"/orders/{order_id}", lambda o: o["status"] == "validated")
    record = f"/bo/clients/{family['id']}?onglet=participants"
    health = f"/bo/clients/{family['id']}/participants/{child['id']}/sante"

    await log_in_staff(page, await staff_user(platform, "accountant"))
    await page.goto(record)
    await expect(page.get_by_role("heading", level=1)).to_contain_text("ROUX Ana")
    await expect(page.get_by_role("link", name="Nouvelle réservation")).to_have_count(0)
    await expect(page.get_by_role("link", name="Modifier")).to_have_count(0)
    await page.goto("/bo/clients/nouveau")
    await expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    await page.goto(f"/bo/commandes/{order_id}")
    await expect(page.get_by_role("link", name="Annuler la commande")).to_have_count(0)
    await expect(page.get_by_role("button", name="Enregistrer un règlement")).to_have_count(0)

    await page.context.clear_cookies()
    await log_in_staff(page, await staff_user(platform, "operator"))
    await page.goto(record)
    await expect(page.get_by_text("Eli", exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name=re.compile("Fiche sanitaire"))).to_have_count(0)
    await page.goto(health)
    await expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    await expect(page.get_by_text("Arachide")).to_have_count(0)

    await page.goto(f"/bo/commandes/{order_id}")
    await page.get_by_role("link", name="Annuler la commande").click()
    await expect(page.locator("#fees")).to_contain_text("€")
    await expect(page.locator("#cancellation-quote")).to_contain_text("Frais d'annulation")
    await checked(page, "back-office-cancellation")
    assert (await orders.get(f"/orders/{order_id}")).json()["status"] == "validated"  # nothing done by looking
    await page.get_by_label("Motif").fill("Enfant malade")
    await page.get_by_role("button", name="Confirmer l'annulation").click()
    await expect(page.get_by_role("status")).to_have_text("Commande annulée.")
    await expect(page.locator("#status")).to_have_text("Annulée")

    await page.context.clear_cookies()
    await log_in_staff(page, await staff_user(platform, "admin", permissions=["health_data"]))
    await page.goto(record)
    await page.get_by_role("link", name="Fiche sanitaire Eli").click()
    await expect(page.locator("#health")).to_contain_text("Arachide")


async def test_a_family_signs_up_books_pays_by_card_downloads_its_invoice_and_cannot_open_another_s_order(
        platform, front: Front, page: Page):
    stock, orders = platform.client("stock"), platform.client("orders")
    start = date.today() + timedelta(days=90 + uuid.uuid4().int % 200)
    title = f"Poney en Normandie {uuid.uuid4().hex[:4]}"
    _, departure_id = await departure_of(stock, title, start, "520.00")
    email = f"julie.morel.{uuid.uuid4().hex[:6]}@example.fr"

    await page.goto("/")
    await page.get_by_label("Départ à partir du").fill(start.isoformat())
    await page.get_by_role("button", name="Voir les départs").click()
    await expect(page.get_by_role("link", name=title)).to_be_visible()
    await checked(page, "portal-catalogue")
    await page.goto("/inscription")
    for label, value in (("Civilité", "Mme"), ("Nom", "Morel"), ("Prénom", "Julie"), ("Adresse e-mail", email),
                         ("Mot de passe", PASSWORD), ("Code postal", "14000"), ("Ville", "Caen")):
        await page.get_by_label(label, exact=True).fill(value)
    await page.get_by_role("button", name="Créer mon compte").click()
    await expect(page.get_by_role("status")).to_contain_text("Vérifiez votre boîte e-mail")

    verification = await mail_to(platform, email, "Confirmez votre adresse e-mail")
    await page.goto(f"/confirmation-inscription?jeton={link_token(verification)}")
    await page.get_by_role("button", name="Confirmer mon adresse e-mail").click()
    await expect(page.get_by_role("status")).to_contain_text("Votre adresse e-mail est confirmée")

    async def logged_in() -> bool:
        """Clients creates the family's prospect from identity's event, a moment after the confirmation."""
        await page.goto("/connexion")
        await page.get_by_label("Adresse e-mail").fill(email)
        await page.get_by_label("Mot de passe").fill(PASSWORD)
        await page.get_by_role("button", name="Se connecter").click()
        await page.wait_for_load_state()
        return page.url.endswith("/espace") and await page.get_by_role("heading", name="Mon profil").count() == 1

    await eventually(logged_in, timeout=30, interval=0.5)
    await page.get_by_label("Prénom").fill("Lou")
    await page.get_by_label("Nom", exact=True).fill("Morel")
    await page.get_by_label("Date de naissance").fill("2016-05-04")
    await page.get_by_role("button", name="Ajouter").click()
    await expect(page.get_by_role("status")).to_have_text("Participant ajouté.")
    await checked(page, "portal-family-space")
    await page.get_by_role("link", name="Fiche sanitaire Lou").click()
    await page.get_by_label("Allergies").fill("Pollen")
    await page.get_by_role("button", name="Enregistrer").click()
    await expect(page.get_by_role("status")).to_have_text("Fiche sanitaire enregistrée.")
    await expect(page.get_by_label("Allergies")).to_have_value("Pollen")

    await page.goto(f"/sejours/{departure_id}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)
    await checked(page, "portal-departure")
    await page.get_by_label("Lou Morel").check()
    await page.get_by_role("button", name="Confirmer la réservation").click()
    await expect(page.get_by_role("status")).to_have_text("Réservation enregistrée.")
    order_id = page.url.rsplit("/", 1)[1].split("?")[0]

    async def optioned(p: Page) -> bool:
        return await p.locator("#status").inner_text() == "Option"

    await reload_until(page, optioned)
    await expect(page.get_by_text("Option jusqu'au")).to_be_visible()

    await page.get_by_role("button", name="Payer l'acompte par carte").click()
    await page.get_by_role("link", name=re.compile(r"^Payer .* par carte$")).click()
    await page.get_by_role("button", name="Payer").click()  # on the provider's page (the emulator)
    await expect(page.get_by_role("status")).to_contain_text("Paiement reçu")
    assert page.url.startswith(f"{front.url}/commandes/{order_id}")

    async def validated(p: Page) -> bool:
        return await p.locator("#status").inner_text() == "Contrat validé"

    await reload_until(page, validated)
    invoiced = await orders.post(f"/orders/{order_id}/invoicing")
    assert invoiced.status_code in (200, 202), invoiced.text

    async def downloadable(p: Page) -> bool:
        return await p.get_by_role("link", name=re.compile("^Télécharger")).count() == 1

    await reload_until(page, downloadable)
    await checked(page, "portal-order")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name=re.compile("^Télécharger")).click()
    pdf = await (await waiting.value).path()
    assert open(pdf, "rb").read(5) == b"%PDF-"

    other = (await platform.client("clients").post("/clients", json={
        "kind": "private", "last_name": "Autre", "first_name": "Famille", "email": "autre@example.fr"})).json()
    child = (await platform.client("clients").post(f"/clients/{other['id']}/participants", json={
        "last_name": "Autre", "first_name": "Zoé", "birth_date": "2015-01-01"})).json()
    theirs = await orders.post("/orders", json={"client_id": other["id"], "departure_id": departure_id,
                                                "participant_ids": [child["id"]]})
    assert theirs.status_code == 201, theirs.text
    await page.goto(f"/commandes/{theirs.json()['id']}")
    await expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    await expect(page.get_by_text(theirs.json()["reference"])).to_have_count(0)
