"""Bulk import of clients from the export's CSV: a dry run that reports every bad line, a real run all or nothing."""
import uuid

from shared import events
from shared.testing import BusSpy, auth

HEADER = "Type;Civilité;Nom;Prénom;Raison sociale;E-mail;Code postal;Ville;En litige"
GOOD = [
    "particulier;Mme;Lefèvre;Hélène;;helene@example.org;69003;Lyon;non",
    "professionnel;;;;Mairie de Lyon;;69001;Lyon;oui",
]


def csv_file(*lines: str, encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(lines).encode(encoding)


async def post(clients, content: bytes, dry_run: bool, **headers):
    return await clients.post("/client-imports", params={"dry_run": dry_run}, headers=headers,
                              files={"file": ("clients.csv", content, "text/csv")})


async def names(clients):
    return sorted(c["display_name"] for c in (await clients.get("/clients", params={"limit": 200})).json()["items"])


async def test_a_dry_run_reports_every_bad_line_with_its_number_and_imports_nothing(clients):
    content = csv_file(HEADER, GOOD[0], "particulier;M.;Durand;Marc;;pas-un-email;69003;Lyon;non",
                       "", "revendeur;;Petit;;;;;;non", "particulier;;;Zoé;;;6900;Lyon;peut-être",
                       "particulier;Mme;Martin", GOOD[1])
    response = await post(clients, content, dry_run=True)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["dry_run"], report["lines"], report["valid"], report["created"]) == (True, 6, 2, [])
    errors = {e["line"]: e["reasons"] for e in report["errors"]}
    assert set(errors) == {3, 5, 6, 7}
    assert errors[3][0].startswith("E-mail:")
    assert errors[5] == ["Type: the kind must be one of: particulier, professionnel, prospect"]
    assert errors[6] == ["En litige: must be oui or non", "Nom: A private client needs a last name.",
                         "Code postal: A French postal code has 5 digits."]
    assert errors[7] == ["3 cells where the header has 9"]
    assert await names(clients) == []

    refused = await post(clients, content, dry_run=False)
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_import"
    assert [e["line"] for e in refused.json()["errors"]] == [3, 5, 6, 7]
    assert await names(clients) == []


async def test_record_rules_are_checked_line_by_line(clients):
    unknown_type = uuid.uuid4()
    content = csv_file(HEADER + ";Type client", "particulier;;;Zoé;;;6900;Lyon;non;",
                       f"particulier;;Martin;;;;;;non;{unknown_type}")
    errors = {e["line"]: e["reasons"] for e in (await post(clients, content, dry_run=True)).json()["errors"]}
    assert errors == {2: ["Nom: A private client needs a last name.", "Code postal: A French postal code has 5 digits."],
                      3: ["Type client: No client type has this id."]}


async def test_the_real_run_creates_every_client_in_one_go_and_announces_them(clients, bus: BusSpy):
    response = await post(clients, csv_file(HEADER, *GOOD), dry_run=False, **{"Idempotency-Key": "import-1"})
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["lines"], report["valid"], report["errors"], len(report["created"])) == (2, 2, [], 2)
    assert await names(clients) == ["Mairie de Lyon", "Mme LEFÈVRE Hélène"]
    mairie = (await clients.get(f"/clients/{report['created'][1]}")).json()
    assert (mairie["kind"], mairie["disputed"], mairie["postal_code"]) == ("professional", True, "69001")
    for client_id in report["created"]:
        await bus.wait_for(events.ClientCreated, client_id=client_id)

    again = await post(clients, csv_file(HEADER, *GOOD), dry_run=False, **{"Idempotency-Key": "import-1"})
    assert again.json() == report and len(await names(clients)) == 2


async def test_an_export_imports_back_and_a_windows_spreadsheet_file_is_read(clients, samples):
    await samples.make_client(clients, address_lines=["12 rue des Lilas", "Bâtiment B"])
    exported = (await clients.get("/exports/clients")).content
    assert (await post(clients, exported, dry_run=False)).status_code == 201
    copies = (await clients.get("/clients", params={"q": "martin"})).json()["items"]
    assert len(copies) == 2
    assert {tuple(c["address_lines"]) for c in copies} == {("12 rue des Lilas", "Bâtiment B")}

    windows = csv_file(HEADER, "particulier;Mme;Œuvray;Hélène;;;;;non", encoding="cp1252")
    assert (await post(clients, windows, dry_run=False)).status_code == 201
    assert "Mme ŒUVRAY Hélène" in await names(clients)


async def test_a_bad_header_or_an_empty_file_is_reported_on_line_1(clients):
    bad = await post(clients, csv_file("Nom;Couleur", "Martin;bleu"), dry_run=True)
    assert bad.json()["errors"] == [{"line": 1, "reasons": ["unknown column 'Couleur'", "missing column 'Type'"]}]
    empty = await post(clients, b"", dry_run=True)
    assert empty.json()["errors"][0]["line"] == 1
    assert (await post(clients, b"", dry_run=False)).status_code == 422
    assert (await post(clients, csv_file(HEADER, *GOOD), dry_run=True, **auth("accountant"))).status_code == 403
    no_file = await clients.post("/client-imports", content=csv_file(HEADER, *GOOD),
                                 headers={"Content-Type": "text/csv"})
    assert no_file.status_code == 422 and no_file.json()["errors"][0]["field"] == "body.file"


async def test_the_upload_is_described_as_a_multipart_file_in_the_openapi_document(clients):
    operation = (await clients.get("/openapi.json")).json()["paths"]["/client-imports"]["post"]
    (media_type, content), = operation["requestBody"]["content"].items()
    assert media_type == "multipart/form-data" and operation["requestBody"]["required"] is True
    schema = (await clients.get("/openapi.json")).json()["components"]["schemas"][
        content["schema"]["$ref"].rsplit("/", 1)[1]]
    assert schema["type"] == "object" and schema["required"] == ["file"]
    assert schema["properties"]["file"]["type"] == "string"
    assert {"200", "201", "422"} <= set(operation["responses"])


async def test_a_file_neither_utf8_nor_windows_1252_or_a_cell_too_long_for_csv_is_refused_not_a_crash(clients):
    unreadable = await post(clients, csv_file(HEADER) + b"\r\n\x81\x8d", dry_run=True)
    assert unreadable.status_code == 422 and unreadable.json()["code"] == "invalid_encoding"
    huge = await post(clients, csv_file(HEADER, 'particulier;;"' + "x" * 200_000 + '"'), dry_run=True)
    assert huge.status_code == 200 and huge.json()["errors"][0]["line"] == 2
    assert "unreadable CSV" in huge.json()["errors"][0]["reasons"][0]
    assert await names(clients) == []


async def test_lines_ended_by_bare_carriage_returns_are_read_and_an_unreadable_header_is_reported_on_line_1(clients):
    mac = await post(clients, "\r".join([HEADER, *GOOD]).encode(), dry_run=True)
    assert mac.status_code == 200, mac.text
    assert (mac.json()["lines"], mac.json()["valid"], mac.json()["errors"]) == (2, 2, [])
    huge_header = await post(clients, ('"' + "x" * 200_000 + '";Nom').encode(), dry_run=True)
    assert huge_header.status_code == 200, huge_header.text
    assert huge_header.json()["errors"][0]["line"] == 1
    assert "unreadable CSV" in huge_header.json()["errors"][0]["reasons"][0]
