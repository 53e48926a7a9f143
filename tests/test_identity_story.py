"""The front door, through the six services as separate processes: the first admin logs in with `colo-token`, creates
an operator who chooses a password from the mail and works on the other services with identity's tokens, which
they check with the keys identity publishes; disabled, the operator is out."""
import re
from urllib.parse import unquote

import httpx
import pytest

from identity.app import IdentitySettings
from identity.bootstrap import ensure_account
from shared.auth import SigningKey
from shared.cli.token import main as colo_token
from shared.testing import token

pytestmark = pytest.mark.e2e
ADMIN_PASSWORD = "the first admin's password"


async def test_the_first_admin_creates_an_operator_who_works_until_disabled(platform, tmp_path, capsys):
    identity = platform.processes["identity"]
    settings = IdentitySettings(database_url=identity.env["COLO_DATABASE_URL"])
    assert await ensure_account(settings, "admin@colo.local", "Administrateur", "admin", ["health_data"],
                                ADMIN_PASSWORD) is True
    assert await ensure_account(settings, "admin@colo.local", "Administrateur", "admin", [], "other") is False
    (tmp_path / "admin_password").write_text(ADMIN_PASSWORD + "\n")
    assert colo_token(["--username", "admin@colo.local", "--password-file", str(tmp_path / "admin_password"),
                       "--identity-url", identity.url]) == 0
    admin = {"Authorization": f"Bearer {capsys.readouterr().out.strip()}"}

    async with httpx.AsyncClient(timeout=30) as http:
        stay = await http.post(f"{platform.processes['stock'].url}/stays", json={"title": "Porte d'entrée"},
                               headers=admin)
        assert stay.status_code == 201, stay.text
        created = await http.post(f"{identity.url}/users", headers=admin, json={
            "email": "lucie.martin@colo.local", "display_name": "Lucie Martin", "role": "operator"})
        assert created.status_code == 201, created.text

        mail = (await platform.smtp.wait_for("lucie.martin@colo.local")).message
        assert mail["Subject"] == "Colo : choisissez votre mot de passe"
        link = re.search(r"mot-de-passe\?jeton=(\S+)", mail.get_body(("plain",)).get_content()).group(1)
        chosen = await http.post(f"{identity.url}/password-resets",
                                 json={"token": unquote(link), "password": "Lucie's own password"})
        assert chosen.status_code == 204
        login = await http.post(f"{identity.url}/token", data={
            "grant_type": "password", "username": "lucie.martin@colo.local", "password": "Lucie's own password"})
        assert login.status_code == 200
        operator = {"Authorization": f"Bearer {login.json()['access_token']}"}
        for service in ("clients", "orders", "billing", "notifications", "stock"):
            url = platform.processes[service].url
            listed = await http.get(f"{url}/openapi.json")
            path = next(p for p in listed.json()["paths"] if p.startswith("/") and "{" not in p
                        and "get" in listed.json()["paths"][p] and p not in ("/healthz", "/readyz", "/metrics"))
            assert (await http.get(url + path, headers=operator)).status_code != 401, (service, path)
        forged = {"Authorization": f"Bearer {token('admin', key=SigningKey.generate())}"}
        assert (await http.get(f"{platform.processes['clients'].url}/clients", headers=forged)).status_code == 401

        disabled = await http.post(f"{identity.url}/users/{created.json()['id']}/disable", headers=admin)
        assert disabled.status_code == 200
        renewed = await http.post(f"{identity.url}/token", data={
            "grant_type": "refresh_token", "refresh_token": login.json()["refresh_token"]})
        assert renewed.status_code == 400
        again = await http.post(f"{identity.url}/token", data={
            "grant_type": "password", "username": "lucie.martin@colo.local", "password": "Lucie's own password"})
        assert again.status_code == 403 and again.json()["code"] == "account_disabled"
