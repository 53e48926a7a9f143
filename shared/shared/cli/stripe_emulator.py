"""`colo-stripe-emulator`: the part of Stripe's wire protocol that Checkout needs, served on this machine, so that
orders' Stripe adapter runs unchanged against it (the stripe library's API base pointed here) and a person can pay
without a Stripe account or a network.

The API (`/v1/...`, the secret key as bearer or as Basic user, form-encoded parameters, Stripe's JSON objects and
errors): create a Checkout Session, retrieve it, expire it; list, read and resend the events. The hosted page
(`/c/pay/<id>`): "Payer" completes the session, sends the signed `checkout.session.completed` event to every webhook
URL, and redirects to the success URL; "Annuler" redirects to the cancel URL and leaves the session open, as Stripe
does. A session expires at its `expires_at` (a day by default) or when expired through the API, and then sends
`checkout.session.expired`. Webhooks are signed as Stripe signs them
(`Stripe-Signature: t=<timestamp>,v1=<HMAC-SHA256 of "<t>.<payload>" with the webhook secret>`) and retried with
growing delays until one answers 2xx. Everything is kept in memory: a restart forgets it.
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import html
import json
import re
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

SESSION_LIFETIME_SECONDS = 24 * 3600
"""Stripe's default: a session not paid within a day expires."""
EXPIRY_CHECK_SECONDS = 1.0


class StripeError(Exception):
    """An error answered in Stripe's shape, which the stripe library turns into its own exceptions."""

    def __init__(self, status: int, message: str, param: str | None = None, kind: str = "invalid_request_error",
                 code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.kind, self.code = status, message, param, kind, code

    def response(self) -> JSONResponse:
        error = {"type": self.kind, "message": self.message}
        error |= {"param": self.param} if self.param else {}
        error |= {"code": self.code} if self.code else {}
        return JSONResponse({"error": error}, status_code=self.status)


def decode_form(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding to nested values: `line_items[0][price_data][currency]=eur` becomes
    `{"line_items": [{"price_data": {"currency": "eur"}}]}`."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        if not parts:
            raise StripeError(400, f"Invalid parameter name: {key!r}.")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise StripeError(400, f"Invalid parameter: {key} mixes a value and a hash.", key)
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    node = {name: _lists(value) for name, value in node.items()}
    if node and all(name.isdigit() for name in node):
        return [node[name] for name in sorted(node, key=int)]
    return node


def _integer(value: Any, param: str, minimum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise StripeError(400, f"Invalid integer: {value}.", param) from None
    if number < minimum:
        raise StripeError(400, f"This value must be greater than or equal to {minimum}.", param)
    return number


def _text(params: dict[str, Any], name: str, param: str, required: bool = True) -> str | None:
    value = params.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise StripeError(400, f"Missing required param: {param}.", param)
    return value


def sign(payload: str, secret: str, timestamp: int) -> str:
    """The Stripe-Signature header of a webhook."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _identifier(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_urlsafe(18).replace('-', 'a').replace('_', 'b')}"


def _euros(cents: int, currency: str) -> str:
    whole, rest = divmod(cents, 100)
    return f"{whole:,}".replace(",", "\u202f") + f",{rest:02d} {'€' if currency == 'eur' else currency.upper()}"


@dataclass
class Emulator:
    api_key: str
    webhook_secret: str
    webhook_urls: list[str]
    public_url: str
    attempts: int = 8
    first_delay: float = 1.0
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    """Idempotency-Key of a creation -> its parameters and the session it created."""
    deliveries: set[asyncio.Task[None]] = field(default_factory=set)

    def authenticate(self, request: Request) -> None:
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        key = credentials
        if scheme.lower() == "basic":
            try:
                key = base64.b64decode(credentials).decode().partition(":")[0]
            except ValueError:
                key = ""
        if scheme.lower() not in ("bearer", "basic") or not hmac.compare_digest(key.encode(), self.api_key.encode()):
            shown = f"{key[:7]}***{key[-4:]}" if len(key) > 11 else "***"
            raise StripeError(401, f"Invalid API Key provided: {shown}", kind="invalid_request_error")

    def create_session(self, params: dict[str, Any], api_version: str) -> dict[str, Any]:
        if params.get("mode") != "payment":
            raise StripeError(400, "Only mode=payment is emulated.", "mode")
        items = params.get("line_items")
        if not isinstance(items, list) or not items:
            raise StripeError(400, "Missing required param: line_items.", "line_items")
        total, currencies = 0, set()
        for index, item in enumerate(items):
            where = f"line_items[{index}]"
            price = item.get("price_data") if isinstance(item, dict) else None
            if not isinstance(price, dict):
                raise StripeError(400, f"Missing required param: {where}[price_data] (prices are not emulated).",
                                  f"{where}[price_data]")
            currencies.add(_text(price, "currency", f"{where}[price_data][currency]").lower())
            product = price.get("product_data")
            if not isinstance(product, dict):
                raise StripeError(400, f"Missing required param: {where}[price_data][product_data].",
                                  f"{where}[price_data][product_data]")
            _text(product, "name", f"{where}[price_data][product_data][name]")
            total += (_integer(price.get("unit_amount"), f"{where}[price_data][unit_amount]", 1)
                      * _integer(item.get("quantity"), f"{where}[quantity]", 1))
        if len(currencies) > 1:
            raise StripeError(400, "All line items must have the same currency.", "line_items")
        now = int(time.time())
        session_id = _identifier("cs")
        metadata = params.get("metadata", {})
        if not isinstance(metadata, dict):
            raise StripeError(400, "Invalid object: metadata.", "metadata")
        session = {
            "id": session_id, "object": "checkout.session", "mode": "payment", "status": "open",
            "payment_status": "unpaid", "amount_subtotal": total, "amount_total": total, "currency": currencies.pop(),
            "client_reference_id": _text(params, "client_reference_id", "client_reference_id", required=False),
            "customer_email": _text(params, "customer_email", "customer_email", required=False),
            "customer_details": None, "metadata": metadata, "payment_intent": None,
            "payment_method_types": params.get("payment_method_types") or ["card"],
            "success_url": _text(params, "success_url", "success_url"),
            "cancel_url": _text(params, "cancel_url", "cancel_url", required=False),
            "url": f"{self.public_url}/c/pay/{session_id}", "created": now,
            "expires_at": _integer(params.get("expires_at", now + SESSION_LIFETIME_SECONDS), "expires_at", now),
            "livemode": False, "locale": params.get("locale"),
            "line_items_emulated": [{"description": item["price_data"]["product_data"]["name"],
                                     "quantity": int(item["quantity"]),
                                     "amount_total": int(item["price_data"]["unit_amount"]) * int(item["quantity"])}
                                    for item in items],
            "api_version_emulated": api_version,
        }
        self.sessions[session_id] = session
        return session

    def session(self, session_id: str) -> dict[str, Any]:
        if session_id not in self.sessions:
            raise StripeError(404, f"No such checkout.session: '{session_id}'", "session", code="resource_missing")
        return self.sessions[session_id]

    def event(self, event_id: str) -> dict[str, Any]:
        found = next((e for e in self.events if e["id"] == event_id), None)
        if found is None:
            raise StripeError(404, f"No such event: '{event_id}'", "id", code="resource_missing")
        return found

    def public(self, session: dict[str, Any]) -> dict[str, Any]:
        """The session as Stripe shows it: without what only the emulator keeps."""
        return {name: value for name, value in session.items() if not name.endswith("_emulated")}

    def emit(self, kind: str, session: dict[str, Any]) -> dict[str, Any]:
        event = {"id": _identifier("evt"), "object": "event", "api_version": session["api_version_emulated"],
                 "created": int(time.time()), "data": {"object": self.public(session)}, "livemode": False,
                 "pending_webhooks": len(self.webhook_urls), "request": {"id": None, "idempotency_key": None},
                 "type": kind}
        self.events.append(event)
        self.deliver(event)
        return event

    def deliver(self, event: dict[str, Any]) -> None:
        payload = json.dumps(event, indent=2)
        for url in self.webhook_urls:
            task = asyncio.get_running_loop().create_task(self._send(url, payload, event))
            self.deliveries.add(task)
            task.add_done_callback(self.deliveries.discard)

    async def _send(self, url: str, payload: str, event: dict[str, Any]) -> None:
        """Until the endpoint answers 2xx, at most `attempts` times; each attempt signed anew, as Stripe does."""
        delay = self.first_delay
        async with httpx.AsyncClient(timeout=10) as client:
            for attempt in range(1, self.attempts + 1):
                try:
                    response = await client.post(url, content=payload.encode(), headers={
                        "Content-Type": "application/json; charset=utf-8",
                        "Stripe-Signature": sign(payload, self.webhook_secret, int(time.time())),
                        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"})
                    outcome = str(response.status_code)
                    if response.is_success:
                        print(f"webhook {event['type']} {event['id']} -> {url}: {outcome}", flush=True)
                        return
                except httpx.HTTPError as error:
                    outcome = f"{type(error).__name__}: {error}"
                print(f"webhook {event['type']} {event['id']} -> {url}: {outcome} (attempt {attempt} of "
                      f"{self.attempts})", flush=True)
                if attempt < self.attempts:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 60)

    def pay(self, session: dict[str, Any]) -> None:
        session.update(status="complete", payment_status="paid", payment_intent=_identifier("pi"), url=None,
                       customer_details={"email": session["customer_email"], "name": None})
        self.emit("checkout.session.completed", session)

    def expire(self, session: dict[str, Any]) -> None:
        if session["status"] != "open":
            raise StripeError(400, f"This Checkout Session is {session['status']}: only an open one can be expired.")
        session.update(status="expired", url=None)
        self.emit("checkout.session.expired", session)

    async def expire_when_due(self) -> None:
        """Expire the open sessions whose `expires_at` has passed, as Stripe does with abandoned ones."""
        while True:
            await asyncio.sleep(EXPIRY_CHECK_SECONDS)
            now = time.time()
            for session in list(self.sessions.values()):
                if session["status"] == "open" and session["expires_at"] <= now:
                    self.expire(session)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:3rem auto;color:#222}}
.test{{background:#ffe8b3;padding:.3rem .6rem;border-radius:.3rem;font-size:.85rem}}
button{{font-size:1rem;padding:.6rem 1.2rem;margin-right:.6rem}}</style></head>
<body><p class="test">Émulateur de paiement (mode test) : aucune carte n'est débitée.</p>{body}</body></html>""",
                        status_code=status)


def create_app(emulator: Emulator) -> Starlette:
    def api(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                emulator.authenticate(request)
                return await handler(request)
            except StripeError as error:
                return error.response()

        return endpoint

    async def create_session(request: Request) -> Response:
        params = decode_form(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        key = request.headers.get("Idempotency-Key")
        if key in emulator.replies:
            asked, session_id = emulator.replies[key]
            if asked != params:
                raise StripeError(400, "Keys for idempotent requests can only be used with the same parameters "
                                       "they were first used with.", kind="idempotency_error")
            return JSONResponse(emulator.public(emulator.sessions[session_id]),
                                headers={"Idempotent-Replayed": "true"})
        session = emulator.create_session(params, request.headers.get("Stripe-Version", "emulated"))
        if key:
            emulator.replies[key] = (params, session["id"])
        return JSONResponse(emulator.public(session))

    async def retrieve_session(request: Request) -> Response:
        return JSONResponse(emulator.public(emulator.session(request.path_params["id"])))

    async def expire_session(request: Request) -> Response:
        session = emulator.session(request.path_params["id"])
        emulator.expire(session)
        return JSONResponse(emulator.public(session))

    async def list_events(request: Request) -> Response:
        kind = request.query_params.get("type")
        limit = _integer(request.query_params.get("limit", "10"), "limit", 1)
        found = [e for e in reversed(emulator.events) if kind in (None, e["type"])]
        return JSONResponse({"object": "list", "url": "/v1/events", "has_more": len(found) > limit,
                             "data": found[:limit]})

    async def retrieve_event(request: Request) -> Response:
        return JSONResponse(emulator.event(request.path_params["id"]))

    async def resend_event(request: Request) -> Response:
        event = emulator.event(request.path_params["id"])
        emulator.deliver(event)
        return JSONResponse(event)

    async def hosted_page(request: Request) -> Response:
        session = emulator.sessions.get(request.path_params["id"])
        if session is None:
            return _page("Paiement introuvable", "<h1>Paiement introuvable</h1>", 404)
        if session["status"] != "open":
            state = "payé" if session["status"] == "complete" else "expiré"
            return _page("Paiement terminé", f"<h1>Ce paiement est {state}.</h1>", 200 if request.method == "GET" else 409)
        if request.method == "POST":
            action = (await request.form()).get("action")
            if action == "pay":
                emulator.pay(session)
                return RedirectResponse(session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"]), 303)
            if action == "cancel":
                return RedirectResponse(session["cancel_url"] or request.url.path, 303)
        lines = "".join(f"<li>{html.escape(line['description'])} : {_euros(line['amount_total'], session['currency'])}"
                        "</li>" for line in session["line_items_emulated"])
        amount = _euros(session["amount_total"], session["currency"])
        return _page(f"Payer {amount}", f"""<h1>Payer {amount}</h1><ul>{lines}</ul>
<form method="post" action="/c/pay/{html.escape(session['id'])}">
<button type="submit" name="action" value="pay">Payer</button>
<button type="submit" name="action" value="cancel">Annuler</button></form>""")

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        expiry = asyncio.create_task(emulator.expire_when_due())
        try:
            yield
        finally:
            expiry.cancel()

    return Starlette(lifespan=lifespan, routes=[
        Route("/v1/checkout/sessions", api(create_session), methods=["POST"]),
        Route("/v1/checkout/sessions/{id}", api(retrieve_session), methods=["GET"]),
        Route("/v1/checkout/sessions/{id}/expire", api(expire_session), methods=["POST"]),
        Route("/v1/events", api(list_events), methods=["GET"]),
        Route("/v1/events/{id}", api(retrieve_event), methods=["GET"]),
        Route("/v1/events/{id}/retry", api(resend_event), methods=["POST"]),
        Route("/c/pay/{id}", hosted_page, methods=["GET", "POST"]),
    ])


def _secret(path: Path, what: str) -> str:
    value = path.read_text().strip()
    if not value:
        raise SystemExit(f"{path} ({what}) is empty")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--api-key-file", type=Path, required=True, help="the secret key clients send (sk_test_...)")
    parser.add_argument("--webhook-secret-file", type=Path, required=True, help="signs the webhooks (whsec_...)")
    parser.add_argument("--webhook-url", action="append", default=[], help="where events are sent (repeatable)")
    parser.add_argument("--public-url", help="where browsers reach this emulator (http://<host>:<port> by default)")
    parser.add_argument("--webhook-attempts", type=int, default=8, help="deliveries of an event before giving up")
    args = parser.parse_args()
    emulator = Emulator(_secret(args.api_key_file, "API key"), _secret(args.webhook_secret_file, "webhook secret"),
                        args.webhook_url, (args.public_url or f"http://{args.host}:{args.port}").rstrip("/"),
                        args.webhook_attempts)
    print(f"Stripe emulator on http://{args.host}:{args.port} (API /v1, hosted pages /c/pay/<id>), webhooks to "
          f"{', '.join(args.webhook_url) or 'nobody'}", flush=True)
    uvicorn.run(create_app(emulator), host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
