"""RFC 9457 problem details: every error a client sees has a status, a stable code and a readable detail.

It also tells an outage from a bug, once for every way in: `outage()` is what makes a request a 503 and what
makes the consumer retry a message without limit instead of dead-lettering it.
"""
from collections.abc import Iterator
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.logging import log

MEDIA_TYPE = "application/problem+json"
UNSTORABLE_TEXT = {"22021", "22P05"}
"""PostgreSQL's codes for text it cannot store (a NUL character): the client's input, not a bug."""
UNAVAILABLE = ("08", "53", "57P")
"""SQLSTATE classes of a database that cannot serve now (connection lost, too many clients, shutting
down): the request may succeed when retried, so it is a 503, not a bug."""
PATH_ERRORS = (FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError, PermissionError)
"""The OSErrors that are a program's or a configuration's fault; every other one is the network or the machine."""
RETRY_AFTER_SECONDS = 2


class Problem(Exception):
    """An error answered as problem details; `headers` go with the answer (a 503 says when to retry by default)."""

    def __init__(self, status: int, code: str, title: str, detail: str, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.title, self.detail, self.extra = status, code, title, detail, extra
        self.headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else {}
        self.headers.update(headers or {})


class DomainError(Exception):
    """A business rule refused the action (HTTP 409). Raised by pure domain code, which knows no HTTP."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(Problem):
    def __init__(self, what: str, identifier: object) -> None:
        super().__init__(404, "not_found", "Not found", f"No {what} with id {identifier}.")


def unavailable(code: str, detail: str) -> Problem:
    return Problem(503, code, "Service unavailable", detail)


def outage(error: BaseException) -> Problem | None:
    """The 503 this error stands for when the infrastructure failed, not the request or the message; else None.

    The infrastructure is the database unavailable or saturated (SQLSTATE classes 08, 53, 57P, a connection refused
    or lost, the pool's timeout), another service down (httpx's transport errors, a 503 Problem) or a timeout. The
    error's causes count too: a failure wrapped by a library is still an outage. A request or a message that refused
    itself (a Problem other than 503, a DomainError) is never one, whatever it was raised from."""
    if isinstance(error, DomainError) or (isinstance(error, Problem) and error.status != 503):
        return None
    for cause in _causes(error):
        if isinstance(cause, Problem) and cause.status == 503:
            return cause
        if isinstance(cause, httpx.TransportError):
            return unavailable("dependency_unavailable", "Another service did not answer; retry in a moment.")
        if _database_down(cause):
            return unavailable("database_unavailable", "The database cannot serve this request now; retry in a moment.")
    return None


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)


def _database_down(error: BaseException) -> bool:
    """The driver's SQLSTATE, SQLAlchemy's view of the connection and pool, or a socket that failed: asyncpg raises
    a refused connection as the OSError itself, so an OSError in a request is the database's (other services are
    reached through httpx)."""
    sqlstate = getattr(error, "sqlstate", None) or getattr(getattr(error, "orig", None), "sqlstate", None)
    return (
        str(sqlstate or "").startswith(UNAVAILABLE)
        or isinstance(error, PoolTimeout)
        or (isinstance(error, DBAPIError) and error.connection_invalidated)
        or (isinstance(error, OSError) and not isinstance(error, PATH_ERRORS))
    )


def _response(status: int, code: str, title: str, detail: str, headers: dict[str, str] | None = None,
              **extra: Any) -> JSONResponse:
    body = {"type": f"https://colo.dev/problems/{code}", "title": title, "status": status, "detail": detail,
            "code": code, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def problem_response(error: Problem) -> JSONResponse:
    return _response(error.status, error.code, error.title, error.detail, error.headers, **error.extra)


def unexpected(error: Exception) -> JSONResponse:
    """The answer to an exception no handler took: a 503 when something is down, else a 500, which is a bug."""
    if (down := outage(error)) is not None:
        log.warning("request.unavailable", code=down.code, error=f"{type(error).__name__}: {error}")
        return problem_response(down)
    log.exception("request.failed", exc_info=error)
    return _response(500, "internal_error", "Internal error", "An unexpected error occurred; it has been logged.")


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def problem(_: Request, error: Problem) -> JSONResponse:
        return problem_response(error)

    @app.exception_handler(DomainError)
    async def refused(_: Request, error: DomainError) -> JSONResponse:
        return _response(409, error.code, "Action refused", error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(part) for part in e["loc"]), "message": e["msg"], "type": e["type"]}
            for e in error.errors()
        ]
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return _response(422, "invalid_request", "Invalid request", detail, errors=fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return _response(error.status_code, code, str(error.detail), str(error.detail))

    @app.exception_handler(DBAPIError)
    async def database_refused(_: Request, error: DBAPIError) -> JSONResponse:
        if getattr(error.orig, "sqlstate", None) in UNSTORABLE_TEXT:
            return _response(422, "invalid_text", "Invalid request", "Text must not contain NUL characters.")
        return unexpected(error)

    @app.exception_handler(Exception)
    async def bug(_: Request, error: Exception) -> JSONResponse:
        return unexpected(error)
