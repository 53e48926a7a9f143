"""A service's log is JSON lines only, whichever library wrote the line: uvicorn, httpx, WeasyPrint or Colo."""
import json
import uuid

import pytest

from shared.testing import eventually

pytestmark = pytest.mark.e2e


async def test_a_service_log_holds_only_json_lines_with_the_correlation_id_of_the_request(platform):
    clients, stock, orders = platform.client("clients"), platform.client("stock"), platform.client("orders")
    stay = (await stock.post("/stays", json={"title": "Séjour des journaux"})).json()
    departure = (await stock.post(f"/stays/{stay['id']}/departures", json={
        "start_date": "2027-08-02", "end_date": "2027-08-09", "capacity": 5, "base_price": "400.00"})).json()
    family = (await clients.post("/clients", json={"kind": "private", "last_name": "Journal",
                                                   "email": "journal@example.fr"})).json()
    child = (await clients.post(f"/clients/{family['id']}/participants",
                                json={"last_name": "Journal", "first_name": "Lou"})).json()
    correlation_id = f"logs-{uuid.uuid4()}"

    # A booking reads orders' own copies; the order's checklist then makes orders ask stock for the stay's required
    # documents over HTTP (httpx logs the request); regenerating the order's document makes its job render a PDF
    # with WeasyPrint.
    placed = await orders.post("/orders", json={
        "client_id": family["id"], "departure_id": departure["id"], "participant_ids": [child["id"]]})
    assert placed.status_code == 201, placed.text
    order = f"/orders/{placed.json()['id']}"
    assert (await orders.get(f"{order}/checklist", headers={"X-Correlation-ID": correlation_id})).status_code == 200
    assert (await orders.post(f"{order}/documents/regenerate")).status_code == 202

    async def rendered() -> bool:
        return (await orders.get(f"{order}/pdfs/1")).status_code == 200

    await eventually(rendered, timeout=60)
    lines = platform.processes["orders"].log_path.read_text().splitlines()
    entries = []
    for number, line in enumerate(lines, 1):
        try:
            entries.append(json.loads(line))
        except ValueError:
            pytest.fail(f"line {number} of the orders log is not JSON: {line!r}")
    loggers = {entry.get("logger") for entry in entries}
    assert {"uvicorn.error", "httpx", "weasyprint.progress"} <= loggers, loggers
    asked = [e for e in entries if e.get("logger") == "httpx" and e.get("correlation_id") == correlation_id]
    assert asked and all(e["service"] == "orders" and e["level"] == "info" for e in asked)
