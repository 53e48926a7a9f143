"""The app factory: one FastAPI app per service process, with its relay, consumer and jobs alongside.

A service only declares what is its own (routers, handlers, jobs); this module wires the rest:
settings, logging, database, broker, problem details, correlation ids, health, readiness, metrics.

Readiness is the HTTP side's: its database. The broker's state is a `/healthz` detail and a metric, since
requests still work while it is away (the outbox keeps their events).
"""
import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send
from structlog.contextvars import bound_contextvars

from shared import metrics, tracing
from shared.auth import admitted_roles
from shared.bus import Broker, Consumer, Handler, dead_letter_count
from shared.clock import Clock, clock_from
from shared.db import UnitOfWork, make_engine
from shared.events import Event
from shared.jobs import Job, run_forever
from shared.logging import configure_logging, log
from shared.outbox import Relay, backlog
from shared.problems import install_problem_handlers, unexpected
from shared.settings import ServiceSettings


@dataclass
class Service:
    name: str
    title: str
    description: str
    routers: list[APIRouter]
    handlers: dict[type[Event], Handler] = field(default_factory=dict)
    jobs: list[Job] = field(default_factory=list)
    on_stop: Callable[[FastAPI], Awaitable[None]] | None = None
    """Releases what the service opened itself (HTTP clients to other services)."""


class ForwardedPrefix:
    """Behind the gateway a service answers under /api/<name>: its docs must load their openapi.json from there,
    while a direct call (no header) keeps the service's own paths. ASGI's root_path, from X-Forwarded-Prefix."""

    SANE = re.compile(r"(/[A-Za-z0-9._-]+)+")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            prefix = Headers(scope=scope).get("X-Forwarded-Prefix", "")
            if self.SANE.fullmatch(prefix):  # in place: the correlate middleware reads the route matched into it
                scope["root_path"] = scope.get("root_path", "") + prefix
                scope["path"] = prefix + scope["path"]
        await self.app(scope, receive, send)


async def _supervise(name: str, work: Callable[[], Awaitable[Any]]) -> None:
    """Keep a background loop alive: log its failure and start it again."""
    while True:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the loop restarts; the failure is in the log
            log.exception("background.failed", task=name)
            await asyncio.sleep(1)


def create_app(service: Service, settings: ServiceSettings, clock: Clock | None = None) -> FastAPI:
    clock = clock or clock_from(settings.clock_file)
    replaced = settings.require()
    # Here rather than at startup: uvicorn logs its first lines between the two, and they must be JSON too.
    configure_logging(service.name, settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if replaced:
            log.warning("settings.development_values", settings=replaced,
                        reason="development mode: random secrets and demonstration values, for this process only")
        # The budget of COLO_DB_CONNECTIONS: the relay's LISTEN connection, and the pool for all the rest.
        engine = make_engine(settings.database_url, settings.db_pool_size, settings.db_connections - 1,
                             settings.db_pool_timeout_seconds, service.name)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        broker = Broker(settings)
        app.state.sessions, app.state.broker = sessions, broker
        loops: dict[str, Callable[[], Awaitable[Any]]] = {"relay": Relay(broker, settings, sessions, clock).run}
        app.state.consumer = None
        if service.handlers:
            app.state.consumer = Consumer(broker, settings, sessions, clock, service.handlers)
            loops["consumer"] = app.state.consumer.run
        if service.jobs:
            loops["jobs"] = lambda: run_forever(
                service.jobs, service.name, sessions, clock, settings.job_interval_seconds
            )
        tasks = [asyncio.create_task(broker.connect())]
        tasks += [asyncio.create_task(_supervise(name, loop)) for name, loop in loops.items()]
        log.info("service.started")
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if service.on_stop:
                await service.on_stop(app)
            await broker.close()
            await engine.dispose()

    app = FastAPI(title=service.title, description=service.description, version="1.0.0", lifespan=lifespan)
    app.state.settings, app.state.clock, app.state.service = settings, clock, service
    tracing.configure(service.name, settings.otlp_endpoint, app)
    app.add_middleware(ForwardedPrefix)
    install_problem_handlers(app)

    @app.middleware("http")
    async def correlate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        headers = request.headers
        correlation_id = headers.get("X-Request-ID") or headers.get("X-Correlation-ID") or str(uuid.uuid4())
        started = time.perf_counter()
        with bound_contextvars(correlation_id=correlation_id):
            try:
                response = await call_next(request)
            except Exception as error:  # noqa: BLE001 - answered here, so that it is counted and correlated too
                response = unexpected(error)
            log.info("request.handled", method=request.method, path=request.url.path, status=response.status_code)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        metrics.REQUESTS.labels(service.name, request.method, path, response.status_code).inc()
        metrics.REQUEST_SECONDS.labels(service.name, request.method, path).observe(time.perf_counter() - started)
        response.headers["X-Request-ID"] = response.headers["X-Correlation-ID"] = correlation_id
        return response

    @app.get("/healthz", tags=["operations"], summary="The process is alive; the state of its broker connection.")
    async def healthz(request: Request) -> dict[str, Any]:
        connected, consumer = request.app.state.broker.ready, request.app.state.consumer
        health: dict[str, Any] = {"status": "ok", "service": service.name, "broker": {"connected": connected}}
        if consumer is not None:
            health["consumer"] = {"consuming": connected and consumer.consuming.is_set(),
                                  "outage": consumer.outage.ongoing}
        return health

    @app.get("/readyz", tags=["operations"], summary="The HTTP side can serve: its database answers.")
    async def readyz(request: Request) -> JSONResponse:
        checks = {"database": await _database_ready(request.app.state.sessions)}
        ready = all(checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics.")
    async def prometheus(request: Request) -> Response:
        metrics.BROKER_CONNECTED.labels(service.name).set(int(request.app.state.broker.ready))
        try:
            async with asyncio.timeout(2):  # not the pool's whole wait: a scrape must answer while it is busy
                waiting, oldest = await backlog(request.app.state.sessions)
            metrics.OUTBOX_BACKLOG.labels(service.name).set(waiting)
            metrics.OUTBOX_AGE.labels(service.name).set(
                (clock.now() - oldest).total_seconds() if oldest is not None else 0)
        except Exception as error:  # noqa: BLE001 - metrics stay available while the database is down
            log.warning("metrics.backlog_unavailable", error=f"{type(error).__name__}: {error}")
        try:
            dead = await dead_letter_count(request.app.state.broker)
            if dead is not None:
                metrics.DEAD_LETTERS.labels(service.name).set(dead)
        except Exception as error:  # noqa: BLE001 - metrics stay available while the broker is down
            log.warning("metrics.dead_letters_unavailable", error=str(error))
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for router in service.routers:
        _document_roles(router)
        app.include_router(router)
    return app


def _document_roles(router: APIRouter) -> None:
    """Each operation's OpenAPI says which roles' tokens it takes (`x-roles`), as its dependencies decide: the web
    application sees which routes serve front-office accounts, and a test tries every other one with their tokens.
    Set on the router's own routes (and those of the routers it includes) before the app includes it."""
    for route in router.routes:
        if isinstance(route, APIRoute) and (roles := admitted_roles(route.dependant)) is not None:
            route.openapi_extra = {**(route.openapi_extra or {}), "x-roles": sorted(roles)}
        elif isinstance(included := getattr(route, "original_router", None), APIRouter):
            _document_roles(included)


async def _database_ready(sessions: async_sessionmaker) -> bool:
    try:
        async with asyncio.timeout(2), sessions() as session:
            await session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means not ready
        return False


async def get_uow(request: Request) -> AsyncIterator[UnitOfWork]:
    """One unit of work per request; the route commits it, anything uncommitted is rolled back."""
    state = request.app.state
    async with UnitOfWork(state.sessions, state.clock, state.service.name) as uow:
        yield uow


UoW = Annotated[UnitOfWork, Depends(get_uow)]
